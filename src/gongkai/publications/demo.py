"""Demo content for 松阳县: documents migrated from the old website (imported with their
original dates), documents published through the review workflow today, normative
documents in every status (valid, repealed, expired, amended, not yet in force),
policies with interpretations, notices, a budget, a draft major decision, a withdrawn
notice, and items waiting in each review queue.

Titles follow real document types of a county civil-affairs / HR bureau; the texts are
written for the demo, document numbers are fictitious. Idempotent: existing titles are
skipped.
"""

from __future__ import annotations

import datetime as dt
import io
import json

from django.db import transaction
from django.utils import timezone

from . import indexing, services
from .importer import Importer
from .models import Publication, ReviewPolicy, State

P = "<p>{}</p>"


def _body(*paras: str) -> str:
    return "".join(P.format(p) for p in paras)


HISTORY = [  # (unit name, row) — migrated from the old website
    (
        "松阳县民政局",
        {
            "type": "规范性文件",
            "title": "松阳县临时救助实施细则",
            "document_number": "松民发〔2021〕8号",
            "issuer": "松阳县民政局 松阳县财政局",
            "made_on": "2021-03-26",
            "published_on": "2021-03-31",
            "effective_from": "2021-05-01",
            "topic": "民政、扶贫、救灾",
            "body": "第一条 为进一步规范临时救助工作，根据《社会救助暂行办法》《浙江省社会救助条例》，结合本县实际，制定本细则。\n第二条 临时救助对象包括急难型救助对象和支出型救助对象。\n第三条 临时救助实行乡镇（街道）审批与县民政局备案相结合的办法。",
            "url": "http://www.songyang.gov.cn/art/2021/3/31/art_1229373_59012.html",
        },
    ),
    (
        "松阳县民政局",
        {
            "type": "规范性文件",
            "title": "松阳县困难群众春节慰问金发放办法",
            "document_number": "松民发〔2019〕21号",
            "issuer": "松阳县民政局",
            "made_on": "2019-12-02",
            "published_on": "2019-12-06",
            "effective_from": "2020-01-01",
            "expires_on": "2023-01-01",
            "topic": "民政、扶贫、救灾",
            "body": "一、慰问对象为本县城乡低保对象、特困供养人员和低保边缘家庭。\n二、慰问标准为每户500元，由乡镇（街道）于春节前发放到户。",
            "url": "http://www.songyang.gov.cn/art/2019/12/6/art_1229373_40021.html",
        },
    ),
    (
        "松阳县民政局",
        {
            "type": "规范性文件",
            "title": "松阳县特困人员救助供养实施办法",
            "document_number": "松民发〔2021〕30号",
            "issuer": "松阳县民政局",
            "made_on": "2021-11-15",
            "published_on": "2021-11-19",
            "effective_from": "2022-01-01",
            "topic": "民政、扶贫、救灾",
            "body": "第一条 为切实保障特困人员基本生活，根据国务院《关于进一步健全特困人员救助供养制度的意见》，制定本办法。\n第二条 特困人员救助供养标准包括基本生活标准和照料护理标准。",
            "url": "http://www.songyang.gov.cn/art/2021/11/19/art_1229373_60311.html",
        },
    ),
    (
        "松阳县民政局",
        {
            "type": "规范性文件",
            "title": "松阳县最低生活保障审核确认办法",
            "document_number": "松民发〔2023〕15号",
            "issuer": "松阳县民政局",
            "made_on": "2023-06-10",
            "published_on": "2023-06-15",
            "effective_from": "2023-07-15",
            "expires_on": "2028-07-15",
            "topic": "民政、扶贫、救灾",
            "body": "第一条 为规范最低生活保障审核确认工作，根据《社会救助暂行办法》《浙江省最低生活保障办法》，制定本办法。\n第二条 低保申请以家庭为单位，由申请人向户籍所在地乡镇人民政府（街道办事处）提出。\n第三条 乡镇人民政府（街道办事处）应当自受理之日起10个工作日内完成家庭经济状况调查核实。",
            "url": "http://www.songyang.gov.cn/art/2023/6/15/art_1229373_70215.html",
            "attachments": [
                "http://www.songyang.gov.cn/module/download/downfile.jsp?filename=%E4%BD%8E%E4%BF%9D%E7%94%B3%E8%AF%B7%E8%A1%A8.docx"
            ],
        },
    ),
    (
        "松阳县民政局",
        {
            "type": "规范性文件",
            "title": "松阳县临时救助实施办法",
            "document_number": "松民发〔2024〕3号",
            "issuer": "松阳县民政局 松阳县财政局",
            "made_on": "2024-01-18",
            "published_on": "2024-01-23",
            "effective_from": "2024-03-01",
            "topic": "民政、扶贫、救灾",
            "body": "第一条 为完善临时救助制度，发挥临时救助兜底作用，制定本办法。\n第二十五条 本办法自2024年3月1日起施行，《松阳县临时救助实施细则》（松民发〔2021〕8号）同时废止。",
            "url": "http://www.songyang.gov.cn/art/2024/1/23/art_1229373_80102.html",
        },
    ),
    (
        "松阳县人力资源和社会保障局",
        {  # published late: made 2 Jan, due 30 Jan 2024
            "type": "通知公告",
            "title": "关于公布2024年度最低工资标准的通知",
            "document_number": "松人社发〔2024〕1号",
            "issuer": "松阳县人力资源和社会保障局",
            "made_on": "2024-01-02",
            "published_on": "2024-03-20",
            "topic": "劳动、人事、监察",
            "body": "根据省政府有关规定，本县执行第三档月最低工资标准2,010元，非全日制小时最低工资标准18.4元。",
            "url": "http://www.songyang.gov.cn/art/2024/3/20/art_1229374_81020.html",
        },
    ),
    (
        "松阳县人力资源和社会保障局",
        {
            "type": "通知公告",
            "title": "2025年松阳县事业单位公开招聘工作人员公告",
            "issuer": "松阳县人力资源和社会保障局",
            "made_on": "2025-03-03",
            "published_on": "2025-03-05",
            "topic": "劳动、人事、监察",
            "body": "根据《事业单位人事管理条例》和省、市有关规定，经研究，决定面向社会公开招聘事业单位工作人员58名。",
            "url": "http://www.songyang.gov.cn/art/2025/3/5/art_1229374_90110.html",
        },
    ),
    # Last year's normative documents and notices (counted in the 2025 annual report, table 一).
    (
        "松阳县民政局",
        {
            "type": "规范性文件",
            "title": "松阳县最低生活保障审核确认办法",
            "document_number": "松民规〔2025〕1号",
            "issuer": "松阳县民政局 松阳县财政局",
            "made_on": "2025-04-08",
            "published_on": "2025-04-11",
            "effective_from": "2025-05-10",
            "topic": "民政、扶贫、救灾",
            "body": "第一条 为规范最低生活保障审核确认工作，根据《社会救助暂行办法》和省有关规定，结合本县实际，制定本办法。\n第三十条 本办法自2025年5月10日起施行，有效期五年。",
        },
    ),
    (
        "松阳县民政局",
        {
            "type": "规范性文件",
            "title": "松阳县困难残疾人生活补贴和重度残疾人护理补贴实施办法",
            "document_number": "松民规〔2025〕2号",
            "issuer": "松阳县民政局 松阳县残疾人联合会",
            "made_on": "2025-08-19",
            "published_on": "2025-08-22",
            "effective_from": "2025-10-01",
            "topic": "民政、扶贫、救灾",
            "body": "第一条 为进一步健全残疾人福利制度，保障困难残疾人生活和重度残疾人长期照护需求，制定本办法。\n第二十条 本办法自2025年10月1日起施行。",
        },
    ),
    (
        "松阳县人力资源和社会保障局",
        {
            "type": "规范性文件",
            "title": "松阳县就业补助资金管理办法",
            "document_number": "松人社规〔2025〕1号",
            "issuer": "松阳县人力资源和社会保障局 松阳县财政局",
            "made_on": "2025-06-16",
            "published_on": "2025-06-20",
            "effective_from": "2025-07-20",
            "topic": "劳动、人事、监察",
            "body": "第一条 为加强就业补助资金管理，提高资金使用效益，根据《就业补助资金管理办法》，制定本办法。\n第三十二条 本办法自2025年7月20日起施行，有效期三年。",
        },
    ),
    (
        "松阳县民政局",
        {
            "type": "通知公告",
            "title": "关于调整2025年城乡居民最低生活保障标准的通知",
            "issuer": "松阳县民政局",
            "made_on": "2025-06-27",
            "published_on": "2025-06-30",
            "topic": "民政、扶贫、救灾",
            "body": "自2025年7月1日起，全县城乡居民最低生活保障标准统一调整为每人每月1,180元。",
        },
    ),
    (
        "西屏街道",
        {
            "type": "通知公告",
            "title": "西屏街道2025年旧城改造项目房屋征收补偿方案（征求意见稿）公示",
            "issuer": "西屏街道办事处",
            "made_on": "2025-09-10",
            "published_on": "2025-09-12",
            "topic": "城乡建设、环境保护",
            "body": "根据《国有土地上房屋征收与补偿条例》，现将西屏街道2025年旧城改造项目房屋征收补偿方案公示，公示期30日。",
        },
    ),
]


def _actor(ctx, name):
    return ctx["users"].get(name)


class _Flow:
    """Push a demo item from draft as far as ``stop`` (or to published) through the services."""

    def __init__(self, ctx):
        self.ctx = ctx

    def user(self, name):
        return _actor(self.ctx, name)

    def __call__(self, unit, editor, reviewer, leader, *, stop=None, reject=None, **data):
        u = self.user
        existing = Publication.objects.filter(unit=unit, title=data["title"]).first()
        if existing:
            return existing
        pub = services.publication_create(actor=u(editor), unit=unit, **data)
        if stop == "draft":
            return pub
        pub = services.publication_submit(actor=u(editor), publication=pub)
        if reject:
            return services.publication_reject(actor=u(reviewer), publication=pub, comment=reject)
        if stop == "attribute_review":
            return pub
        pub = services.publication_review_attribute(actor=u(reviewer), publication=pub, attribute="proactive")
        if stop == "confidentiality_review" or pub.state == State.PUBLISHED:
            return pub
        pub = services.publication_review_confidentiality(
            actor=u(reviewer), publication=pub, comment="经审查，不涉及国家秘密和个人隐私"
        )
        if stop == "signoff" or pub.state == State.PUBLISHED:
            return pub
        return services.publication_sign_off(actor=u(leader), publication=pub, comment="同意发布")


def _history(ctx, units) -> None:
    """Items migrated from the old website (original dates kept) and their repeal/amendment records."""
    u = lambda n: _actor(ctx, n)  # noqa: E731
    # 1) history migrated from the old website (original dates kept)
    imported: list[int] = []
    for unit_name, row in HISTORY:
        imported += Importer(unit=units[unit_name]).run([json.dumps(row, ensure_ascii=False)]).ids
    if imported:
        transaction.on_commit(lambda: indexing.index_batch(imported))

    def get(title):
        return Publication.objects.filter(title=title).first()

    repealed, new_rules = get("松阳县临时救助实施细则"), get("松阳县临时救助实施办法")
    if repealed and not repealed.legal_links_in.exists():
        services.legal_link_add(
            actor=u("mz_leader"),
            target=repealed,
            kind="repeal",
            effective_on=dt.date(2024, 3, 1),
            by=new_rules,
            note="被松民发〔2024〕3号替代",
        )
    amended = get("松阳县特困人员救助供养实施办法")
    if amended and not amended.legal_links_in.exists():
        services.legal_link_add(
            actor=u("mz_leader"),
            target=amended,
            kind="amend",
            effective_on=dt.date(2025, 1, 1),
            note="调整第八条照料护理标准",
        )


def _interpreted_policies(flow: _Flow, mz_team, rs_team, today, made) -> None:
    u = flow.user
    # 2) a normative document not yet in force, released with its interpretation
    care = flow(
        *mz_team,
        stop="signoff",
        doc_type="normative",
        title="松阳县养老服务补贴管理办法",
        document_number=f"松民发〔{today.year}〕18号",
        issuer="松阳县民政局 松阳县财政局",
        topic="civil",
        made_on=made,
        effective_from=dt.date(today.year + 1, 1, 1),
        needs_interpretation=True,
        body=_body(
            "第一条 为推进基本养老服务体系建设，规范养老服务补贴发放管理，制定本办法。",
            "第二条 本县户籍、经评估为失能或半失能的低保、低保边缘家庭老年人，可申请养老服务补贴。",
            "第三条 补贴标准分为每人每月300元、500元、800元三档，按评估等级确定。",
        ),
    )
    interp = flow(
        *mz_team,
        stop="signoff",
        doc_type="interpretation",
        title="《松阳县养老服务补贴管理办法》政策解读",
        interprets=care,
        interpretation_form="graphic",
        topic="civil",
        made_on=made,
        body=_body(
            "一、出台背景：为落实《浙江省养老服务条例》……",
            "二、谁可以申请：本县户籍、经评估为失能或半失能的低保、低保边缘家庭老年人。",
            "三、怎么申请：向户籍所在地乡镇（街道）便民服务中心提出，也可通过“浙里办”在线申请。",
        ),
    )
    if care.state == State.SIGNOFF and interp.state == State.SIGNOFF:
        services.publication_sign_off(actor=u("mz_leader"), publication=care, comment="与解读同步发布")

    # 3) policy with video interpretation (人社局)
    grad = flow(
        *rs_team,
        stop="signoff",
        doc_type="policy",
        title="松阳县支持高校毕业生等青年就业创业若干政策",
        document_number=f"松人社发〔{today.year}〕9号",
        issuer="松阳县人力资源和社会保障局",
        topic="labour",
        made_on=made,
        needs_interpretation=True,
        body=_body(
            "一、对来松就业的全日制本科及以上学历高校毕业生，给予每人每年1万元生活补贴，连续补贴3年。",
            "二、高校毕业生首次创办企业并正常经营1年以上的，给予一次性创业补贴1万元。",
        ),
    )
    grad_i = flow(
        *rs_team,
        stop="signoff",
        doc_type="interpretation",
        title="图解：松阳县支持高校毕业生就业创业政策",
        interprets=grad,
        interpretation_form="video",
        video_url="https://www.songyang.gov.cn/video/jiedu-jiuye.mp4",
        topic="labour",
        made_on=made,
        body=_body("一图读懂高校毕业生就业创业补贴的对象、标准和申领流程。"),
    )
    if grad.state == State.SIGNOFF and grad_i.state == State.SIGNOFF:
        services.publication_sign_off(actor=u("rs_leader"), publication=grad_i, comment="同步发布")


def _notices_and_budget(flow: _Flow, mz_team, rs_team, today, made) -> None:
    u = flow.user
    # 4) notices and a budget
    flow(
        *mz_team,
        doc_type="notice",
        title=f"关于调整{today.year}年度城乡居民最低生活保障标准的公告",
        topic="civil",
        made_on=made,
        body=_body(
            f"经县人民政府同意，自{today.year}年7月1日起，全县城乡低保标准统一调整为每人每月1150元。", "特此公告。"
        ),
    )
    budget = flow(
        *mz_team,
        stop="draft",
        doc_type="budget",
        title=f"松阳县民政局{today.year}年部门预算",
        topic="finance",
        made_on=made,
        fiscal_year=today.year,
        budget_kind="budget",
        body=_body(
            f"{today.year}年松阳县民政局部门预算收入合计8,672.35万元，支出合计8,672.35万元，其中社会保障和就业支出7,935.10万元。"
        ),
    )
    if budget.state == State.DRAFT and not budget.attachments.exists():
        services.attachment_add(
            actor=u("mz_editor"),
            publication=budget,
            name=f"松阳县民政局{today.year}年部门预算表.xlsx",
            data=_budget_xlsx(today.year),
        )
        budget = services.publication_submit(actor=u("mz_editor"), publication=budget)
        budget = services.publication_review_attribute(
            actor=u("mz_reviewer"), publication=budget, attribute="proactive"
        )
        budget = services.publication_review_confidentiality(actor=u("mz_reviewer"), publication=budget)
        services.publication_sign_off(actor=u("mz_leader"), publication=budget)
    wrong = flow(
        *rs_team,
        doc_type="notice",
        title="关于2026年度社会保险缴费基数调整的通知（错误版本）",
        topic="labour",
        made_on=made,
        body=_body("2026年度社会保险缴费基数下限调整为每月4,462元。"),
    )
    if wrong.state == State.PUBLISHED:
        services.publication_withdraw(
            actor=u("rs_leader"), publication=wrong, reason="缴费基数数据有误，已以正式通知替代，请以更正后的通知为准"
        )


def _draft_decision(ctx, flow: _Flow, county, today, made) -> None:
    # 5) a draft major decision from the county government (small office: no sign-off layer)
    if not ReviewPolicy.objects.filter(unit=county).exists():
        services.review_policy_set(
            actor=ctx["admin"],
            unit=county,
            require_confidentiality=True,
            require_signoff=False,
            separate_reviewer=False,
        )
    flow(
        county,
        "gkb_editor",
        "gkb_editor",
        None,
        doc_type="draft_decision",
        title="松阳县城区公共停车场收费管理办法（征求意见稿）",
        topic="construction",
        made_on=made,
        issuer="松阳县人民政府办公室",
        comment_until=today + dt.timedelta(days=31),
        body=_body(
            "第一条 为规范城区公共停车场收费管理，缓解停车难问题，制定本办法。",
            "第二条 城区公共停车场实行分时段差别化收费，首30分钟免费。",
        ),
        drafting_notes=_body(
            "一、起草背景：城区机动车保有量年均增长12%，停车供需矛盾突出。",
            "二、起草过程：县发改局会同县住建局、县综合执法局开展调研，召开座谈会3次。",
            "三、主要内容：明确收费范围、标准制定程序和减免情形。",
        ),
    )


def _waiting_items(flow: _Flow, mz_team, rs_team, today, made) -> None:
    # 6) items waiting in the queues, one returned with comments, one plain draft
    flow(
        *mz_team,
        stop="attribute_review",
        doc_type="notice",
        title="关于开展低保等社会救助领域专项整治的通知",
        topic="civil",
        made_on=made,
        body=_body("各乡镇人民政府、街道办事处：为进一步规范社会救助管理，决定在全县开展专项整治……"),
    )
    flow(
        *rs_team,
        stop="confidentiality_review",
        doc_type="normative",
        title="松阳县就业见习补贴管理办法",
        topic="labour",
        document_number=f"松人社发〔{today.year}〕11号",
        made_on=made,
        effective_from=dt.date(today.year + 1, 1, 1),
        body=_body("第一条 为帮助青年提升就业能力，规范就业见习补贴发放，制定本办法。"),
    )
    flow(
        *mz_team,
        stop="signoff",
        doc_type="notice",
        title="关于公布松阳县孤儿基本生活费发放标准的通知",
        topic="civil",
        made_on=made,
        body=_body("自本年度起，机构养育孤儿基本生活费标准为每人每月2,170元，社会散居孤儿为每人每月1,630元。"),
    )
    flow(
        *rs_team,
        reject="请补充附件：2027年农民工工资支付检查安排表",
        doc_type="notice",
        title="关于做好元旦春节期间农民工工资支付工作的通知",
        topic="labour",
        made_on=made,
        body=_body("各有关单位：为切实保障农民工劳动报酬权益……"),
    )
    flow(
        *mz_team,
        stop="draft",
        doc_type="general",
        title="松阳县民政局政府信息公开指南",
        topic="general",
        made_on=made,
        body=_body("一、主动公开：本机关主动公开的政府信息通过松阳县人民政府门户网站发布。"),
    )


def load(ctx) -> None:
    units = ctx["units"]
    mz, rs = units.get("松阳县民政局"), units.get("松阳县人力资源和社会保障局")
    if mz is None or rs is None:
        return
    _history(ctx, units)
    today = timezone.localdate()
    made = today - dt.timedelta(days=6)
    flow = _Flow(ctx)
    mz_team = (mz, "mz_editor", "mz_reviewer", "mz_leader")
    rs_team = (rs, "rs_editor", "rs_reviewer", "rs_leader")
    _interpreted_policies(flow, mz_team, rs_team, today, made)
    _notices_and_budget(flow, mz_team, rs_team, today, made)
    _draft_decision(ctx, flow, ctx["county"], today, made)
    _waiting_items(flow, mz_team, rs_team, today, made)
    _link_catalogue(ctx)


def _budget_xlsx(year: int) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "收支总表"
    ws.append(["项目", "预算数（万元）"])
    for row in [
        ("一般公共预算拨款", 8300.15),
        ("政府性基金预算拨款", 372.20),
        ("社会保障和就业支出", 7935.10),
        ("城乡社区支出", 737.25),
    ]:
        ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


CATALOGUE_LINKS = [  # (unit, editor, title contains, catalogue item level1, item name)
    ("松阳县民政局", "mz_editor", "最低生活保障审核确认办法", "政策文件", "最低生活保障政策"),
    ("松阳县民政局", "mz_editor", "城乡居民最低生活保障标准", "政策文件", "最低生活保障政策"),
    ("松阳县民政局", "mz_editor", "临时救助实施", "临时救助", "办事指南"),
    ("松阳县民政局", "mz_editor", "特困人员救助供养实施办法", "特困人员救助供养", "办事指南"),
    ("松阳县民政局", "mz_editor", "养老服务补贴管理办法", "养老服务补贴", "经济困难老年人养老服务补贴"),
    ("松阳县人力资源和社会保障局", "rs_editor", "高校毕业生", "政策文件", "就业创业政策"),
]


def _link_catalogue(ctx) -> None:
    """Link demo items to the catalogue items they fulfil (when the catalogue demo has them)."""
    from gongkai.catalogue import selectors as catalogue

    for unit_name, editor, title_part, level1, name in CATALOGUE_LINKS:
        unit = ctx["units"].get(unit_name)
        if unit is None:
            continue
        item = catalogue.linkable_unit_items([unit]).filter(unit=unit, level1=level1, name=name).first()
        if item is None:
            continue
        for pub in Publication.objects.filter(unit=unit, title__contains=title_part, unit_item__isnull=True):
            services.publication_link_unit_item(actor=ctx["users"][editor], publication=pub, unit_item=item)
