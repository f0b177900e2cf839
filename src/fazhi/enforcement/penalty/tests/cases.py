"""Cases in each state for the page, API and export tests (D01's, through the services, dates relative to today)."""

from datetime import date, timedelta

from fazhi.enforcement.penalty import scripted, services
from fazhi.enforcement.penalty.tests.conftest import units_setup

PARTY = "处罚专属当事人"


def days(n: int) -> date:
    return date.today() - timedelta(days=n)


def to_decided(case, actor, *, fine="5000", decider=None):
    case = scripted.investigate(case, actor, days(50))
    case = scripted.notify(case, actor, days(45), fine=fine)
    return scripted.decide(case, decider or actor, days(30))


def data(world) -> dict:
    cached = getattr(world, "_penalty_cases", None)
    if cached:
        return cached
    u = units_setup(world)["D01"]
    d01, office = world.user("d01"), world.user("fzb")

    def new(**kw):
        return scripted.file_case(d01, u.subject, filed=days(60), officers=u.officers[:2], party=PARTY, **kw)

    investigating = new()
    notified = scripted.notify(scripted.investigate(new(), d01, days(5)), d01, days(1), fine="20000")
    hearing = scripted.notify(scripted.investigate(new(), d01, days(40)), d01, days(30), fine="20000")
    hearing = services.hearing_request(case=hearing, actor=d01, on=days(29))
    hearing = services.hearing_schedule(case=hearing, actor=d01, on=days(2), place="执法大队听证室")
    decided = to_decided(new(), d01, decider=office)  # decided by the office: D01's staff records the payment
    served = scripted.act(to_decided(new(), d01, decider=office), d01, "serve", on=days(28))
    spot = scripted.act(to_decided(new(), d01, fine="80", decider=office), d01, "serve", on=days(28))
    services.payment_record(case=spot, actor=d01, amount_paid="80", paid_on=days(27), channel="on_the_spot",
                            receipt_number="SX-0001", spot_reason="remote")  # 第69条: general procedure
    spot.refresh_from_db()
    world._penalty_cases = {"investigating": investigating, "notified": notified, "hearing": hearing,
                            "decided": decided, "served": served, "spot": spot}
    return world._penalty_cases
