from django.conf import settings

from fazhi.core.scoping import ROLE_LABELS, scope_for


def fazhi(request):
    scope = scope_for(getattr(request, "user", None))
    return {
        "FAZHI": settings.FAZHI,
        "user_scope": scope,
        "user_role_labels": [ROLE_LABELS[r] for r in sorted(scope.roles) if r in ROLE_LABELS]
        + (["系统管理员"] if scope.is_sysadmin else []),
    }
