"""Demo content for 松阳县: ~40 FAQ entries, appeals in every state with ratings,
an open consultation with moderated comments and a closed one with its feedback report.

Everything goes through the services (audited); loading twice changes nothing.
People, phone numbers and addresses are fictitious.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from gongkai.catalogue.selectors import public_domains

from . import services
from .models import Adoption, Appeal, AppealType, Comment, Consultation, FaqEntry

MZ, RS, YB, GA, JY, ZR, ZJ, WJ, TY, SJ = (
    "松阳县民政局",
    "松阳县人力资源和社会保障局",
    "松阳县医疗保障局",
    "松阳县公安局",
    "松阳县教育局",
    "丽水市自然资源和规划局松阳分局",
    "松阳县住房和城乡建设局",
    "松阳县卫生健康局",
    "松阳县退役军人事务局",
    "松阳县市场监督管理局",
)

# (unit, domain, topics, question, answer)
FAQ = [
    (
        MZ,
        "社会救助",
        "低保、社会救助",
        "低保怎么申请？",
        "申请最低生活保障（低保）以家庭为单位，由共同生活的家庭成员向户籍所在地乡镇人民政府（街道办事处）提出书面申请，也可通过“浙里办”在线申请。需提供：户口簿、身份证、家庭收入和财产情况说明、授权核对家庭经济状况的声明等。乡镇（街道）受理后入户调查、民主评议并公示，县民政局审批。",
    ),
    (
        MZ,
        "社会救助",
        "低保、救助标准",
        "松阳县低保标准是多少？",
        "现行城乡居民最低生活保障标准统一为每人每月1141元（以县人民政府最新公布的标准为准）。家庭人均月收入低于标准、且财产状况符合规定的，可以申请低保。",
    ),
    (
        MZ,
        "社会救助",
        "低保、年审",
        "低保户每年都要重新审核吗？",
        "是的。乡镇（街道）对低保家庭实行分类动态管理：收入来源不固定、有劳动能力的家庭一般每半年核查一次，其他家庭每年核查一次。家庭人口、收入、财产发生变化的，应当及时告知乡镇（街道）。",
    ),
    (
        MZ,
        "社会救助",
        "临时救助",
        "遇到突发困难可以申请临时救助吗？",
        "因火灾、交通事故、重大疾病等原因导致基本生活暂时出现严重困难的家庭或个人，可以向户籍所在地或经常居住地乡镇（街道）申请临时救助；情况紧急的，可以先行救助、后补手续。",
    ),
    (
        MZ,
        "社会救助",
        "特困、供养",
        "特困人员救助供养的条件是什么？",
        "同时具备以下条件的老年人、残疾人和未成年人，可申请特困人员救助供养：无劳动能力；无生活来源；无法定赡养、抚养、扶养义务人，或者其法定义务人无履行义务能力。向户籍所在地乡镇（街道）提出申请。",
    ),
    (
        MZ,
        "婚姻登记",
        "婚姻登记、结婚证",
        "办理结婚登记需要带什么材料？",
        "双方当事人须共同到婚姻登记机关办理，携带本人户口簿、身份证和三张2寸近期半身免冠合影照片（红底）。自2023年起，浙江省已实行婚姻登记“全省通办”，可在省内任一婚姻登记机关办理。",
    ),
    (
        MZ,
        "养老服务",
        "养老、高龄补贴",
        "80周岁以上老人有高龄津贴吗？",
        "本县户籍80周岁及以上老年人可享受高龄津贴，由村（社区）统一申报，乡镇（街道）审核后按月发放至本人账户。具体标准以县民政局公布的最新文件为准。",
    ),
    (
        MZ,
        "养老服务",
        "养老、居家养老",
        "居家养老服务补贴怎么申请？",
        "经评估为失能、半失能的低保、低边、特困老年人，可以申请居家养老服务补贴。向村（社区）提出申请，由第三方机构进行能力评估，乡镇（街道）审核、县民政局审批后，以服务券或购买服务的方式提供。",
    ),
    (
        RS,
        "社会保险",
        "社保、参保",
        "灵活就业人员怎么参加社保？",
        "灵活就业人员可以以个人身份参加企业职工基本养老保险和职工基本医疗保险。携带身份证到县人力社保局服务窗口或通过“浙里办”办理参保登记，按月、按季或按年缴费，缴费基数可在规定的上下限之间选择。",
    ),
    (
        RS,
        "社会保险",
        "养老保险、退休",
        "养老金每月什么时候发放？",
        "企业职工基本养老金一般于每月15日前发放至退休人员社会保障卡银行账户；城乡居民基本养老保险待遇于每月月底前发放。遇节假日可能提前或顺延。",
    ),
    (
        RS,
        "社会保险",
        "养老保险、转移",
        "养老保险关系怎么跨省转移？",
        "参保人到新参保地就业并参保后，可通过国家社会保险公共服务平台、“掌上12333”或新参保地社保经办机构申请转移，无需回原参保地办理。转移手续一般在45个工作日内完成。",
    ),
    (
        RS,
        "社会保险",
        "社保卡",
        "社会保障卡丢了怎么补办？",
        "社保卡遗失后，应先通过12333电话、“浙里办”或合作银行网点办理挂失，再携带身份证到县人力社保局服务窗口或合作银行网点办理补卡，即时制卡网点可当场领取。",
    ),
    (
        RS,
        "就业",
        "就业、失业登记",
        "失业了怎么办理失业登记？",
        "在法定劳动年龄内、有劳动能力和就业要求、处于无业状态的人员，可持身份证到户籍地、常住地或参保地的公共就业服务机构办理失业登记，也可通过“浙里办”在线办理。登记后可享受职业介绍、职业指导、技能培训等服务。",
    ),
    (
        RS,
        "就业",
        "失业金、失业保险",
        "失业保险金怎么申领？",
        "参加失业保险满1年、非因本人意愿中断就业且已办理失业登记的人员，可以申领失业保险金。可通过“浙里办”、国家社会保险公共服务平台或县人力社保局窗口申领，按月发放。",
    ),
    (
        RS,
        "就业",
        "就业、创业补贴",
        "大学生创业有哪些补贴？",
        "毕业5年内的高校毕业生在本县创办企业或个体工商户并正常经营的，可按规定申请一次性创业补助、创业担保贷款及贴息、创业场地租金补贴等，具体条件和标准以县人力社保局公布的政策为准。",
    ),
    (
        RS,
        "就业",
        "欠薪、劳动保障监察",
        "单位拖欠工资怎么投诉？",
        "可拨打12333或到县劳动保障监察大队现场投诉，也可通过“浙江省欠薪联合预警平台”在线投诉。投诉时请提供劳动合同或工作证明、欠薪情况等材料。",
    ),
    (
        YB,
        "社会保险",
        "医保、参保",
        "城乡居民医保怎么缴费？",
        "城乡居民基本医疗保险按年度缴费，每年集中缴费期一般为9月至12月。可通过“浙里办”、支付宝、微信、合作银行或村（社区）代收点缴纳下一年度医保费。",
    ),
    (
        YB,
        "社会保险",
        "医保、异地就医",
        "异地就医怎么备案？",
        "参保人员异地就医前，可通过国家医保服务平台APP、“浙里办”或县医保局窗口办理异地就医备案。备案后在就医地定点医疗机构可直接结算；未备案的，回参保地手工报销，报销比例会有所降低。",
    ),
    (
        YB,
        "社会保险",
        "医保、报销",
        "住院费用医保报销比例是多少？",
        "报销比例与参保类型、医院等级和起付线有关。以城乡居民医保为例，在县内定点医院住院，政策范围内费用起付线以上部分报销比例一般在70%以上，具体以年度医保政策为准。",
    ),
    (
        YB,
        "社会保险",
        "医保、门诊慢特病",
        "门诊慢特病待遇怎么申请？",
        "患有高血压、糖尿病等规定病种的参保人员，可持相关病历和检查报告到定点医疗机构或县医保局申请门诊慢特病待遇认定，认定后门诊相关费用按规定比例报销。",
    ),
    (
        YB,
        "社会保险",
        "医保、生育",
        "生育津贴怎么领取？",
        "参加职工基本医疗保险（含生育保险）的女职工生育后，由用人单位或本人通过“浙里办”申请生育津贴，按用人单位上年度职工月平均工资计算，发放至单位或个人账户。",
    ),
    (
        GA,
        "户籍管理",
        "户口、落户",
        "户口迁入松阳需要什么条件？",
        "在县城区有合法稳定住所（含租赁）的人员，本人及其共同居住生活的配偶、子女、父母可申请落户；投靠直系亲属的，可按投靠落户政策办理。携带身份证、户口簿及住所证明到县公安局户籍窗口或派出所办理。",
    ),
    (
        GA,
        "户籍管理",
        "户口、新生儿",
        "新生儿怎么上户口？",
        "新生儿出生后一个月内，由父母一方携带出生医学证明、父母双方户口簿和身份证、结婚证到一方户籍所在地派出所办理出生登记，也可通过“浙里办”“出生一件事”联办。",
    ),
    (
        GA,
        "户籍管理",
        "身份证",
        "身份证到期怎么换领？",
        "居民身份证有效期满前三个月内可申请换领，携带原身份证到户籍所在地或省内任一派出所办理，现场采集照片和指纹。跨省异地也可办理换领。",
    ),
    (
        GA,
        "户籍管理",
        "居住证",
        "外地人在松阳怎么办理居住证？",
        "在本县居住半年以上，符合有合法稳定就业、合法稳定住所、连续就读条件之一的，可以持身份证、居住和就业（就读）证明到居住地派出所申领居住证。",
    ),
    (
        JY,
        "义务教育",
        "入学、义务教育",
        "小学新生入学怎么报名？",
        "适龄儿童（当年8月31日前满6周岁）按学区就近入学。每年5月前后县教育局发布招生公告，家长通过“浙里办”义务教育入学报名系统提交户籍、房产或居住证等信息，审核后公布录取结果。",
    ),
    (
        JY,
        "义务教育",
        "入学、随迁子女",
        "外来务工人员子女怎么入学？",
        "随迁子女持父母的居住证、就业或社保证明等，按积分入学办法在报名期内提出申请，由县教育局统筹安排到公办学校或政府购买学位的民办学校就读。",
    ),
    (
        JY,
        "义务教育",
        "入学、转学",
        "义务教育阶段怎么转学？",
        "学生因户籍迁移、家庭住址变动等原因需转学的，由家长向转入学校提出申请，经转出、转入学校同意并报县教育局审核后，通过全国中小学生学籍信息管理系统办理学籍转接。",
    ),
    (
        JY,
        "义务教育",
        "学生资助",
        "家庭困难学生有哪些资助政策？",
        "学前教育有保育教育费减免，义务教育阶段对家庭经济困难学生发放生活补助，普通高中有国家助学金和免学杂费，中职有免学费和国家助学金。向所在学校提出申请。",
    ),
    (
        ZR,
        "不动产登记",
        "不动产登记、房产证",
        "买了二手房怎么办不动产登记？",
        "买卖双方签订合同、缴纳税费后，携带身份证、不动产权证书、买卖合同、完税凭证等材料共同到县不动产登记中心申请转移登记，也可通过“浙里办”预约“一窗受理”。材料齐全的，一般5个工作日内办结。",
    ),
    (
        ZR,
        "不动产登记",
        "不动产登记、查询",
        "怎么查询自己名下的房产信息？",
        "权利人可持身份证到县不动产登记中心查询窗口或自助查询机查询本人名下不动产登记信息，也可通过“浙里办”在线查询并打印查询结果。",
    ),
    (
        ZR,
        "不动产登记",
        "不动产登记、抵押",
        "房产抵押登记需要什么材料？",
        "抵押人和抵押权人共同申请，提交身份证明、不动产权证书、主债权合同和抵押合同。银行等金融机构可通过“不动产登记+金融服务”在线申请，办结时限一般为1个工作日。",
    ),
    (
        ZJ,
        "保障性住房",
        "公积金、提取",
        "住房公积金怎么提取？",
        "购买、建造、翻建、大修自住住房，偿还住房贷款本息，租房自住，离退休等情形可以提取住房公积金。可通过“浙里办”、公积金APP或丽水市住房公积金中心松阳分中心窗口办理。",
    ),
    (
        ZJ,
        "保障性住房",
        "公积金、贷款",
        "公积金贷款最高能贷多少？",
        "公积金贷款额度与缴存年限、账户余额和还款能力挂钩，并设有最高限额，具体以丽水市住房公积金管理委员会公布的现行政策为准。",
    ),
    (
        ZJ,
        "保障性住房",
        "公租房、住房保障",
        "公租房申请条件是什么？",
        "本县城区户籍的住房困难家庭，家庭人均收入和住房面积符合县政府公布标准的，可向户籍所在街道申请公共租赁住房；新就业无房职工和外来务工人员可按规定申请。",
    ),
    (
        WJ,
        "卫生健康",
        "生育登记、生育",
        "生育登记怎么办理？",
        "夫妻双方可通过“浙里办”或向一方户籍地、现居住地的乡镇（街道）办理生育登记，无需提交证明材料，实行承诺制。",
    ),
    (
        WJ,
        "卫生健康",
        "疫苗、预防接种",
        "孩子打疫苗在哪里预约？",
        "儿童预防接种在居住地所属乡镇卫生院或社区卫生服务中心的预防接种门诊进行，可通过“浙里办”或接种门诊电话预约。请携带预防接种证。",
    ),
    (
        TY,
        "退役军人",
        "退役军人、优待证",
        "退役军人优待证怎么申领？",
        "退役军人可通过“浙里办”或到户籍所在地乡镇（街道）退役军人服务站申请优待证，提交身份证、退役证件和近期照片，审核后统一制发。",
    ),
    (
        SJ,
        "市场监管",
        "营业执照、个体工商户",
        "个体工商户营业执照怎么办？",
        "经营者可通过“浙江政务服务网”企业开办全程网办平台或县行政服务中心市场监管窗口申请，提交身份证和经营场所信息，材料齐全的当场或1个工作日内发照。",
    ),
    (
        SJ,
        "市场监管",
        "消费投诉、12315",
        "买到假冒伪劣商品怎么投诉？",
        "可拨打12315热线或通过全国12315平台、“浙里办”提交投诉举报，请保留购物凭证、商品实物或照片等证据。市场监管部门一般在7个工作日内决定是否受理。",
    ),
]

APPEALS = [
    # (type, title, content, name, phone, state, unit, answer, rating)
    (
        "consult",
        "低保申请需要哪些材料",
        "我母亲今年70岁，一个人在古市镇生活，收入很少，想问问申请低保需要准备什么材料，去哪里办？",
        "吴秀英",
        "13905781201",
        "closed",
        MZ,
        "您好！申请低保以家庭为单位，请您母亲（或委托家属）携带户口簿、身份证、家庭收入情况说明到古市镇人民政府社会事务办提出申请，也可通过“浙里办”在线申请。镇政府受理后将入户调查并公示，县民政局审批。如有疑问可咨询古市镇社会事务办。",
        (5, 5, 5),
    ),
    (
        "complain",
        "西屏街道某小区路灯长期不亮",
        "紫荆路附近的小区门口路灯已经坏了一个多月，晚上出行很不安全，希望尽快修复。",
        "",
        "13905781202",
        "closed",
        ZJ,
        "您好！经现场核查，该路段路灯因线路老化故障，已于本周完成线路更换和灯具维修，现已恢复照明。感谢您的监督！",
        (4, 5, 4),
    ),
    (
        "suggest",
        "建议增加县城到古市镇的公交班次",
        "早上7点到8点之间县城到古市镇的公交车很挤，建议高峰期增加班次。",
        "叶建国",
        "13905781203",
        "answered",
        "松阳县交通运输局",
        "您好！您的建议已收悉。我局已会同公交公司对早高峰客流进行调查，拟于下月起在7:00—8:30增开两个班次，具体时刻表将在公交站点和县政府门户网站公布。",
        None,
    ),
    (
        "help",
        "老人医保卡密码忘记了",
        "我父亲的社保卡密码忘记了，他行动不便，能否由家属代办重置？",
        "周丽",
        "13905781204",
        "in_progress",
        YB,
        "",
        None,
    ),
    (
        "consult",
        "新生儿医保怎么办理",
        "孩子上个月出生，户口已经上好了，想问医保怎么参保缴费？",
        "蓝晓燕",
        "13905781205",
        "assigned",
        YB,
        "",
        None,
    ),
    (
        "complain",
        "餐馆油烟扰民",
        "楼下新开的餐馆油烟直排，家里窗户都不能开，请相关部门处理。",
        "",
        "13905781206",
        "received",
        None,
        "",
        None,
    ),
    (
        "consult",
        "公积金提取到账时间",
        "上周在网上申请了租房提取公积金，多久能到账？",
        "毛晓峰",
        "13905781207",
        "accepted",
        None,
        "",
        None,
    ),
    (
        "complain",
        "工地夜间施工噪音",
        "小区旁边的工地每天晚上十一点后还在施工，严重影响休息。",
        "",
        "13905781208",
        "rejected",
        None,
        "",
        None,
    ),
]


def _units(ctx):
    return ctx["units"]


def _actor_for(ctx, unit):
    for user in ctx["users"].values():
        if (
            user.unit_id == unit.pk
            and user.memberships.filter(unit=unit, role__in=["editor", "reviewer", "leader"]).exists()
        ):
            return user
    return ctx["admin"]


def _office(ctx):
    return ctx["users"].get("gkb") or ctx["admin"]


def load(ctx) -> None:
    units = _units(ctx)
    county = ctx["county"]
    admin = ctx["admin"]
    today = timezone.localdate()
    # FAQ
    for unit_name, domain, topics, question, answer in FAQ:
        if FaqEntry.objects.filter(question=question).exists():
            continue
        unit = units.get(unit_name, county)
        services.faq_create(
            actor=_actor_for(ctx, unit),
            unit=unit,
            question=question,
            answer=answer,
            domain_name=domain,
            domain=public_domains().filter(name=domain).first(),
            topics=[t for t in topics.split("、") if t],
            review_date=today + dt.timedelta(days=300),
        )
    # One stale answer (review date passed) so the workbench flag shows.
    stale = FaqEntry.objects.filter(question="公积金贷款最高能贷多少？").first()
    if stale and stale.version == 1:
        services.faq_update(
            actor=admin,
            entry=stale,
            question=stale.question,
            answer=stale.answer,
            domain_name=stale.domain_name,
            domain=stale.domain,
            topics=list(stale.topics.values_list("name", flat=True)),
            review_date=today - dt.timedelta(days=10),
            note="复核日期调整（演示：已过期待复核）",
        )

    # Appeals
    office = _office(ctx)
    if not Appeal.objects.filter(channel="demo").exists():
        types = {t.code: t for t in AppealType.objects.all()}
        for code, title, content, name, phone, state, unit_name, answer, rating in APPEALS:
            appeal, _ = services.appeal_submit(
                appeal_type=types[code],
                target_unit=county,
                title=title,
                content=content,
                name=name,
                phone=phone,
                anonymous=not name,
                publish_consent=True,
                channel="demo",
            )
            if state == "received":
                continue
            if state == "rejected":
                services.appeal_reject(
                    actor=office,
                    appeal=appeal,
                    reason="该事项属于生态环境部门执法范围，已告知您拨打12345或向丽水市生态环境局松阳分局反映。",
                )
                continue
            appeal = services.appeal_accept(actor=office, appeal=appeal)
            if state == "accepted":
                continue
            unit = units.get(unit_name, county)
            co = [units[RS]] if unit_name == YB and RS in units and "社保卡" in content else []
            appeal = services.appeal_assign(actor=office, appeal=appeal, unit=unit, co_units=co)
            if state == "assigned":
                continue
            handler = _actor_for(ctx, unit)
            appeal = services.appeal_start(actor=handler, appeal=appeal)
            if state == "in_progress":
                continue
            appeal = services.appeal_answer(actor=handler, appeal=appeal, answer=answer)
            if rating:
                appeal = services.appeal_rate(
                    appeal=appeal,
                    speed=rating[0],
                    outcome=rating[1],
                    attitude=rating[2],
                    comment="回复及时，问题解决了",
                )
                proposal = services.appeal_publication_proposal(appeal)
                services.appeal_publish(
                    actor=office,
                    appeal=appeal,
                    public_title=proposal["title"].masked,
                    public_content=proposal["content"].masked,
                    public_answer=proposal["answer"].masked,
                )
        # Demo only: one appeal received two weeks ago shows the overdue queue.
        late = Appeal.objects.filter(channel="demo", title="新生儿医保怎么办理").first()
        if late:
            received = timezone.now() - dt.timedelta(days=14)
            start = timezone.localdate(received)
            Appeal.objects.filter(pk=late.pk).update(
                received_at=received, clock_started_on=start, due_date=services.compute_due_date(start, late.type)
            )

    # Consultations
    _consultations(ctx, today)


def _consultations(ctx, today):
    units = _units(ctx)
    county = ctx["county"]
    mz = units.get(MZ, county)
    jy = units.get(JY, county)
    actor_mz = _actor_for(ctx, mz)
    actor_jy = _actor_for(ctx, jy)
    leader_mz = ctx["users"].get("mz_leader") or ctx["admin"]
    leader_jy = ctx["users"].get("jy_leader") or ctx["admin"]
    if not Consultation.objects.filter(title="松阳县最低生活保障家庭经济状况认定办法（征求意见稿）").exists():
        c = services.consultation_create(
            actor=actor_mz,
            unit=mz,
            title="松阳县最低生活保障家庭经济状况认定办法（征求意见稿）",
            summary="规范低保家庭收入、财产认定，明确刚性支出扣减和渐退帮扶。",
            draft="<h2>第一章 总则</h2><p>第一条 为规范最低生活保障家庭经济状况认定工作……</p><h2>第二章 家庭收入</h2><p>第五条 家庭收入是指共同生活的家庭成员在规定期限内获得的全部现金及实物收入……</p><p>第九条 因残疾、患重病等增加的刚性支出，可以在核算家庭收入时适当扣减。</p>",
            explanation="<p>一、起草背景：根据《浙江省最低生活保障办法》和省民政厅有关规定，结合本县实际起草。</p><p>二、主要内容：明确家庭成员范围、收入和财产认定标准、刚性支出扣减、渐退期。</p><p>三、征求意见情况：本稿已征求各乡镇（街道）意见，现公开征求社会公众意见。</p>",
            opens_on=today - dt.timedelta(days=10),
            closes_on=today + dt.timedelta(days=25),
            contact="县民政局社会救助科 0578-8060006",
        )
        c = services.consultation_open(actor=leader_mz, consultation=c)
        samples = [
            ("建议把残疾人家庭的护理费用也纳入刚性支出扣减范围。", "陈", "approve"),
            ("第五条中的“规定期限”建议明确为申请前12个月。", "", "approve"),
            ("渐退期建议延长到12个月，避免刚就业就失去保障。", "王先生", "pending"),
            ("广告：代办各类证件，联系电话13800000000", "", "reject"),
        ]
        for text, name, decision in samples:
            comment, _ = services.comment_submit(consultation=c, content=text, author_name=name)
            if decision != "pending":
                services.comment_moderate(
                    actor=actor_mz,
                    comment=comment,
                    approve=decision == "approve",
                    reason="与本次征集内容无关的广告信息",
                )
    if not Consultation.objects.filter(title="松阳县义务教育阶段学校招生入学工作实施意见（征求意见稿）").exists():
        c = services.consultation_create(
            actor=actor_jy,
            unit=jy,
            title="松阳县义务教育阶段学校招生入学工作实施意见（征求意见稿）",
            summary="明确学区划分、随迁子女积分入学和多孩同校安排。",
            draft="<p>一、坚持免试就近入学……</p><p>二、随迁子女按积分从高到低安排入学……</p><p>三、同一户籍的多孩家庭可申请同校就读……</p>",
            explanation="<p>为贯彻落实教育部关于义务教育招生入学工作的要求，结合我县学位供给实际，起草本实施意见。</p>",
            opens_on=today - dt.timedelta(days=40),
            closes_on=today,
            contact="县教育局基础教育科",
        )
        c = services.consultation_open(actor=leader_jy, consultation=c)
        comments = [
            ("建议随迁子女积分中增加社保缴纳年限的权重。", "李", Adoption.ADOPTED, ""),
            (
                "建议取消学区划分，全部摇号。",
                "",
                Adoption.NOT_ADOPTED,
                "《义务教育法》规定免试就近入学，学区划分是就近入学的基础，故未采纳。",
            ),
            (
                "多孩同校建议扩大到户籍不同但实际共同居住的兄弟姐妹。",
                "张女士",
                Adoption.PARTLY,
                "对有监护关系、实际共同居住的情形予以采纳，其他情形需另行核实。",
            ),
        ]
        for text, name, adoption, note in comments:
            comment, _ = services.comment_submit(consultation=c, content=text, author_name=name)
            services.comment_moderate(actor=actor_jy, comment=comment, approve=True)
            services.comment_set_adoption(
                actor=actor_jy, comment=Comment.objects.get(pk=comment.pk), adoption=adoption, note=note
            )
        c = services.consultation_close(actor=leader_jy, consultation=c)
        services.consultation_report(
            actor=leader_jy,
            consultation=c,
            report="<p>本次征求意见共收到意见3条，全部经审核公开。采纳1条、部分采纳1条、未采纳1条，未采纳的理由见下表。感谢社会各界的关心和支持。</p>",
        )
