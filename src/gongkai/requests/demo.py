"""Demo requests for the demo county (松阳县): ~20 requests in every state, with letters and review cases.

Everything goes through the services (so the demo is audited like real use);
dates are relative to today so that "due soon" and "overdue" stay meaningful.
Idempotent: nothing is created when the demo requests exist already.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from gongkai.core import crypto, workdays

from . import identity, services
from .models import (
    ApplicantType,
    ConsultationKind,
    Delivery,
    Format,
    IdType,
    InformationRequest,
    OrgType,
    Outcome,
    ReviewKind,
    ReviewOutcome,
)

DEMO_PHONE_PREFIX = "1390578"


def rsl_admin(ctx):
    """The actor of demo settings changes: the county disclosure office's account, else the admin."""
    return ctx["users"].get("gkb") or ctx["admin"]


def _id(seq: int) -> str:
    body = f"3311251978{(seq % 12) + 1:02d}{(seq % 27) + 1:02d}{seq:03d}"
    return body + identity.resident_id_check(body)


def _credit(seq: int) -> str:
    from gongkai.core import credit_code

    alphabet = credit_code.ALPHABET
    org = "".join(alphabet[(seq * 7 + i * 3) % 31] for i in range(9))
    return credit_code.make("91331124" + org)


PEOPLE = [
    "王建国",
    "李秀英",
    "张伟",
    "刘芳",
    "陈志强",
    "杨丽华",
    "黄明",
    "周晓燕",
    "吴国平",
    "徐丽娟",
    "孙磊",
    "马晓东",
]


def person(seq: int, description: str, **kw) -> services.ApplicantData:
    return services.ApplicantData(
        applicant_type=ApplicantType.PERSON,
        name=PEOPLE[seq % len(PEOPLE)],
        id_type=IdType.RESIDENT,
        id_number=_id(seq),
        phone=f"{DEMO_PHONE_PREFIX}{seq:04d}",
        address=f"浙江省丽水市松阳县西屏街道紫荆路{seq + 10}号",
        postcode="323400",
        description=description,
        preferred_format=kw.pop("fmt", Format.EMAIL),
        delivery=kw.pop("delivery", Delivery.ONLINE),
        email=f"demo{seq}@example.cn",
        **kw,
    )


def org(seq: int, name: str, org_type: str, description: str) -> services.ApplicantData:
    return services.ApplicantData(
        applicant_type=ApplicantType.ORGANISATION,
        org_type=org_type,
        name=name,
        credit_code=_credit(seq),
        legal_representative="周建国",
        contact_person="叶晓琳",
        phone=f"{DEMO_PHONE_PREFIX}{seq:04d}",
        address="浙江省丽水市松阳县水南街道环城东路66号",
        postcode="323400",
        description=description,
        preferred_format=Format.PAPER,
        delivery=Delivery.POST,
    )


def _assign(req, handler):
    """The request assigned to ``handler`` on the day it was received."""
    return services.request_assign(actor=handler, req=req, handler=handler, on=req.received_on)


def _reply(req, handler, signer, outcome, replied_on: dt.date, *, reason: str = "", letter: bool = True):
    """The reply drafted by the handler and signed off by ``signer`` (a reviewer or leader, the default
    policy), sent on ``replied_on``."""
    services.reply_submit(actor=handler, req=req, outcome=outcome, reason=reason, letter=letter)
    return services.reply_approve(actor=signer, req=req, replied_on=replied_on)


@transaction.atomic
def load(ctx) -> None:
    # Phones are encrypted at rest: the demo requests are recognised by their applicants' blind index.
    demo_phones = {crypto.blind_index(f"{DEMO_PHONE_PREFIX}{seq:04d}", "phone") for seq in range(100)}
    if InformationRequest.objects.filter(phone_bidx__in=demo_phones, unit__in=ctx["units"].values()).exists():
        return
    units, users = ctx["units"], ctx["users"]
    mz, rs, xp, jy = (
        units["松阳县民政局"],
        units["松阳县人力资源和社会保障局"],
        units["西屏街道"],
        units["松阳县教育局"],
    )
    ed, leader, reviewer = users["mz_editor"], users["mz_leader"], users["mz_reviewer"]
    signers = {
        mz.pk: reviewer,
        rs.pk: users["rs_reviewer"],
        xp.pk: users["xp_reviewer"],
        jy.pk: users["jy_leader"],
    }
    today = services.today()

    def ago(n: int) -> dt.date:
        return today - dt.timedelta(days=n)

    def new(unit, data, days_ago, channel="online", actor=None, evidence=""):
        if channel == "online":
            return services.request_submit(unit=unit, data=data, received_on=ago(days_ago))
        return services.request_register(
            actor=actor, unit=unit, data=data, channel=channel, received_on=ago(days_ago), receipt_evidence=evidence
        )

    def reply(req, user, outcome, days_ago, reason="", letter=True):
        return _reply(req, user, signers[req.unit_id], outcome, ago(days_ago), reason=reason, letter=letter)

    try:
        # 1 just arrived online, not yet assigned
        new(mz, person(1, "请公开松阳县2026年度城乡居民最低生活保障标准调整文件"), 2)
        # 2 in progress
        _assign(new(mz, person(2, "申请公开西屏街道2025年临时救助资金发放汇总情况"), 8), ed)
        # 3 due soon (received ~4 weeks ago)
        _assign(
            new(
                mz,
                person(
                    3,
                    "请提供2025年松阳县养老服务补贴发放对象数量及资金总额",
                    fmt=Format.PAPER,
                    delivery=Delivery.PICKUP,
                ),
                24,
                channel="in_person",
                actor=ed,
                evidence="窗口当面提交",
            ),
            ed,
        )
        # 4 overdue
        _assign(new(mz, person(4, "请公开县民政局2025年部门决算及三公经费支出情况"), 40), ed)
        # 5 waiting for correction
        r = new(mz, person(5, "我要民政的文件"), 12)
        services.request_correction_notice(
            actor=ed, req=r, items="请写明所需文件的名称、文号或者大致内容及时间范围", sent_on=ago(10), letter=True
        )
        # 6 correction deadline passed, deemed withdrawn
        r = new(mz, person(6, "关于那个补助的材料"), 60)
        services.request_correction_notice(
            actor=ed, req=r, items="请写明补助名称和所需信息的年份", sent_on=ago(58), deadline=ago(30)
        )
        services.request_deem_withdrawn(actor=ed, req=r, on=ago(28))
        # 7 corrected: the 20 working days run again from the correction
        r = _assign(new(mz, person(7, "申请公开殡葬管理的收费"), 30), ed)
        services.request_correction_notice(
            actor=ed, req=r, items="请写明所需收费项目（如公墓、火化）及年份", sent_on=ago(28)
        )
        services.request_receive_correction(
            actor=ed, req=r, corrected_on=ago(14), note="申请人补正：2025年公墓收费标准"
        )
        # 8 consulting a third party right now (clock paused), with the consultation letter
        r = _assign(new(mz, person(8, "请公开松阳县某养老机构2025年获得的运营补贴金额"), 20), ed)
        c = services.consultation_send(
            actor=ed,
            req=r,
            kind=ConsultationKind.THIRD_PARTY,
            recipient="松阳县康乐养老服务中心",
            question="申请人申请公开贵单位2025年获得的运营补贴金额，是否同意公开？",
            sent_on=ago(9),
            letter=True,
        )
        # 9 consultation answered, back in progress
        r = _assign(new(mz, person(9, "请公开2025年度福利彩票公益金使用情况"), 35), ed)
        c = services.consultation_send(
            actor=ed,
            req=r,
            kind=ConsultationKind.OTHER_BODY,
            recipient="松阳县财政局",
            question="该信息由两部门共同制作，是否同意公开？",
            sent_on=ago(30),
        )
        services.consultation_answer(actor=ed, consultation=c, answered_on=ago(16), answer="同意公开", agrees=True)
        # 10 extension requested, waiting for the leader
        r = _assign(new(mz, person(10, "请公开近三年全县社会组织年检结果"), 27), ed)
        services.extension_request(actor=ed, req=r, days=15, reason="涉及三个年度的档案，需调阅汇总")
        # 11 extension approved, notice sent
        r = _assign(
            new(
                mz,
                org(
                    11,
                    "浙江松州律师事务所",
                    OrgType.LEGAL,
                    "请提供2024年以来松阳县最低生活保障审核确认办法及其修订说明",
                ),
                33,
                channel="post_signed",
                actor=ed,
                evidence="EMS 1104567890 签收",
            ),
            ed,
        )
        ext = services.extension_request(actor=ed, req=r, days=20, reason="需对多年度文件进行检索和区分处理")
        services.extension_decide(actor=leader, extension=ext, approve=True, on=ago(5), letter=True)
        # 12 replied (public) and archived
        r = _assign(new(mz, person(12, "请公开2025年度松阳县困难残疾人生活补贴标准"), 50), ed)
        r = reply(r, ed, Outcome.PUBLIC, 30, reason="现将《关于调整困难残疾人生活补贴标准的通知》全文提供给您。")
        services.request_close(actor=ed, req=r)
        # 13 withheld: third-party privacy (with a review case)
        r = _assign(new(mz, person(13, "请公开邻居张某的低保审批材料"), 55), ed)
        r13 = reply(
            r,
            ed,
            Outcome.WITHHELD_THIRD_PARTY,
            32,
            reason="所申请信息包含第三方个人隐私，经征求意见第三方不同意公开，且不公开不会对公共利益造成重大影响。",
        )
        # 14 not held by this body
        r = _assign(new(mz, person(14, "请公开县人民医院2025年医疗设备采购合同"), 45), ed)
        reply(
            r,
            ed,
            Outcome.UNAVAILABLE_NOT_HELD,
            35,
            reason="该信息不属于本机关掌握，建议向松阳县卫生健康局咨询，联系电话0578-8061016。",
        )
        # 15 organisation, in progress at 人社局
        rse = users["rs_editor"]
        _assign(
            new(
                rs,
                org(
                    15,
                    "松阳县茶叶产业发展有限公司",
                    OrgType.COMMERCIAL,
                    "请提供2025年度稳岗返还政策的执行口径和申报条件",
                ),
                6,
            ),
            rse,
        )
        # 16 partial disclosure (with a lawsuit)
        r = _assign(new(rs, person(16, "请公开2025年松阳县事业单位公开招聘面试成绩及评分细则"), 48), rse)
        r16 = reply(
            r, rse, Outcome.PARTIAL, 29, reason="面试成绩予以公开；评分细则中考官评分记录属于过程性信息，不予公开。"
        )
        # 17 the same person asks again: repeat request
        r = _assign(new(rs, person(16, "请公开2025年松阳县事业单位公开招聘面试成绩和评分细则"), 20), rse)
        reply(r, rse, Outcome.NOT_HANDLED_REPEAT, 15, reason="您于此前已就同一政府信息提出申请，本机关已作出答复。")
        # 18 township, due soon
        xpe = users["xp_editor"]
        _assign(new(xp, person(18, "请公开西屏街道2025年旧城改造项目征收补偿方案"), 23), xpe)
        # 19 education: already public
        jye = users["jy_editor"]
        r = _assign(
            new(
                jy,
                org(19, "松阳县教育发展研究会", OrgType.CHARITY, "请提供2026年松阳县义务教育学校招生学区划分方案"),
                30,
            ),
            jye,
        )
        reply(
            r,
            jye,
            Outcome.PUBLIC_ALREADY,
            25,
            reason="该方案已于2026年5月在县政府门户网站“教育”栏目主动公开。",
            letter=False,
        )
        # 20 overdue at 人社局 (never disappears from the queue)
        _assign(new(rs, person(20, "请公开2025年度被征地农民养老保险参保人数和资金情况"), 42), rse)
        # 21 a reply drafted by the handler, waiting for the reviewer's sign-off
        r = _assign(new(mz, person(21, "请公开2025年松阳县孤儿基本生活费发放标准"), 15), ed)
        services.reply_submit(
            actor=ed,
            req=r,
            outcome=Outcome.PUBLIC,
            reason="现将《松阳县孤儿基本生活费发放标准》全文提供给您。",
        )

        services.review_case_record(
            actor=ed,
            req=r13,
            kind=ReviewKind.REVIEW,
            filed_on=ago(20),
            case_number="松政复〔2026〕12号",
            authority="松阳县人民政府",
        )
        services.review_case_record(
            actor=rse,
            req=r16,
            kind=ReviewKind.LITIGATION_DIRECT,
            filed_on=ago(20),
            case_number="（2026）浙1124行初18号",
            authority="松阳县人民法院",
            outcome=ReviewOutcome.UPHELD,
            decided_on=ago(3),
        )
        _last_year(units, users, signers, today.year - 1)
    except workdays.CalendarMissing:
        # A year without holiday data: the demo requests would carry "日历缺失"; load the calendar first.
        raise
    # The two public utilities take requests too (an example of the per-unit setting).
    for name in ("松阳县自来水有限公司", "国网浙江松阳县供电有限公司"):
        if name in units:
            services.policy_update(actor=rsl_admin(ctx), unit=units[name], reply_signoff=True, accepts_requests=True)


#: Last year's closed requests (so that last year's annual report has a real table 三): subject,
#: reply type and the reason written in the letter. Received one or two a month at three units.
LAST_YEAR = [
    (
        "请公开县民政局年度部门预算及三公经费预算",
        Outcome.PUBLIC_ALREADY,
        "该信息已在县政府门户网站“财政预决算”栏目主动公开。",
    ),
    (
        "请公开城乡居民最低生活保障对象名单（本村）",
        Outcome.PARTIAL,
        "公开姓名、保障人数和金额；身份证号码等个人信息不予公开。",
    ),
    ("请公开县养老机构运营补贴发放明细", Outcome.PUBLIC, "现将补贴发放明细表提供给您。"),
    (
        "请公开某社会组织的年检材料原件",
        Outcome.WITHHELD_THIRD_PARTY,
        "所申请信息涉及第三方商业秘密，第三方不同意公开。",
    ),
    ("请公开县政府常务会议讨论殡葬改革的会议记录", Outcome.WITHHELD_PROCESS, "会议记录属于过程性信息。"),
    (
        "请公开全县困难群众名单及家庭住址",
        Outcome.WITHHELD_THIRD_PARTY,
        "涉及个人隐私，公开会对第三方合法权益造成损害。",
    ),
    ("请公开县人民医院院长的个人收入", Outcome.UNAVAILABLE_NOT_HELD, "本机关不掌握该信息。"),
    (
        "请统计近五年各乡镇低保人数变化并形成分析报告",
        Outcome.UNAVAILABLE_NOT_READY,
        "需对现有信息进行加工分析，不属于应当提供的政府信息。",
    ),
    (
        "反映小区物业管理问题并要求处理",
        Outcome.NOT_HANDLED_PETITION,
        "该申请属于信访投诉事项，已告知通过信访渠道反映。",
    ),
    ("请公开临时救助审批流程和标准", Outcome.PUBLIC, "现将《松阳县临时救助实施办法》全文提供给您。"),
    ("请公开事业单位公开招聘考试成绩", Outcome.PUBLIC_ALREADY, "考试成绩已在县人力社保局网站公示。"),
    ("请公开企业职工养老保险缴费基数调整文件", Outcome.PUBLIC, "现将调整文件提供给您。"),
    ("请公开工伤认定决定书（本人案件）", Outcome.WITHHELD_QUERY, "属于行政查询事项，已告知办理查询的途径。"),
    ("请公开劳动保障监察投诉处理结果", Outcome.PARTIAL, "处理结果予以公开，涉及其他当事人的信息不予公开。"),
    ("请公开街道旧城改造项目补偿标准", Outcome.PUBLIC, "现将补偿标准提供给您。"),
    ("请公开街道办事处年度工作总结", Outcome.PUBLIC_ALREADY, "该信息已在街道信息公开专栏主动公开。"),
    ("请公开街道某社区选举的投票记录", Outcome.WITHHELD_INTERNAL, "属于内部事务信息。"),
    ("请再次提供已答复的养老补贴文件", Outcome.NOT_HANDLED_REPEAT, "本机关已就同一信息作出答复。"),
]


def _last_year(units, users, signers, year: int) -> None:
    """Closed requests received through ``year`` and replied within the period; the December one
    is answered in January (carried over, table 三 row 五)."""
    from gongkai.core import workdays as wd

    plan = [
        (units["松阳县民政局"], users["mz_editor"]),
        (units["松阳县人力资源和社会保障局"], users["rs_editor"]),
        (units["西屏街道"], users["xp_editor"]),
    ]
    for i, (subject, outcome, reason) in enumerate(LAST_YEAR):
        unit, handler = plan[0] if i < 10 else plan[1] if i < 14 else plan[2]
        received = dt.date(year, 1 + (i * 11) // 18, 5 + (i * 7) % 20)
        while not wd.is_working_day(received):
            received += dt.timedelta(days=1)
        req = services.request_submit(unit=unit, data=person(40 + i, f"{subject}（{year}年）"), received_on=received)
        req = _reply(
            _assign(req, handler),
            handler,
            signers[unit.pk],
            outcome,
            wd.add_working_days(received, 6 + (i * 5) % 13),
            reason=reason,
            letter=False,
        )
        services.request_close(actor=handler, req=req)
    # Received late in December, answered in January: counted as carried over in last year's report.
    mz, ed = plan[0]
    received = dt.date(year, 12, 28)
    while not wd.is_working_day(received):
        received -= dt.timedelta(days=1)
    req = services.request_submit(
        unit=mz, data=person(70, f"请公开{year}年度福利彩票公益金使用情况"), received_on=received
    )
    _reply(
        _assign(req, ed),
        ed,
        signers[mz.pk],
        Outcome.PUBLIC,
        wd.add_working_days(received, 12),
        reason="现将公益金使用情况公告提供给您。",
        letter=False,
    )
