from django.core.management.base import BaseCommand, CommandError
from rest_framework.authtoken.models import Token

from fazhi.org.models import User


class Command(BaseCommand):
    help = "为用户生成 API 令牌并打印(用于脚本: Authorization: Token <key>)"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--reset", action="store_true", help="作废旧令牌并生成新令牌")

    def handle(self, *args, username, reset=False, **options):
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"用户不存在或已停用: {username}")
        if reset:
            Token.objects.filter(user=user).delete()
        token, _ = Token.objects.get_or_create(user=user)
        self.stdout.write(token.key)
