"""Demo data for 松阳县: guides with everyday names, service points, life events.

The guides follow the structure and typical content of published county guides (生育登记,
不动产登记, 出生登记 …); codes, phone numbers and addresses are illustrative, not the real
ones. Service-point coordinates are approximate positions in the county (WGS-84). Everything is
created through the services (audited); loading twice changes nothing.
"""

from __future__ import annotations

from django.db import transaction

from gongkai.core.models import Organisation

from . import services
from .models import Guide, LifeEvent, ServicePoint

CENTRE = "松阳县行政服务中心一楼综合受理窗口（西屏街道），工作日 8:30-12:00，14:30-17:30；周六上午 9:00-12:00 延时服务"
PHONE = "0578-8061234"
COMPLAINT = "12345政务服务便民热线；松阳县行政服务中心投诉窗口"

# (unit, code, name, kind, visits, legal, promised, no_fee, fees, materials, process, basis, everyday, aliases, questions, plain)
GUIDES = [
    (
        "松阳县卫生健康局",
        "331124-GG-0001",
        "生育登记",
        "public_service",
        0,
        None,
        0,
        True,
        [],
        [
            ("夫妻双方居民身份证", "required", "电子证照", "1份", "政府部门核发"),
            ("结婚证", "required", "电子证照", "1份", "政府部门核发"),
        ],
        ["网上申请（浙里办“生育登记”）", "乡镇（街道）审核", "即时办结，生成电子《生育登记服务单》"],
        "《浙江省人口与计划生育条例》；《浙江省生育登记服务管理办法》",
        "准生证",
        ["生育服务证", "准生证明", "生育登记服务单"],
        ["孩子出生前要办什么", "怀孕了要办哪些证", "孩子出生后要办哪些证"],
        {
            "conditions": "准备生孩子的夫妻都可以登记，一胎、二胎、三胎都一样，不需要审批。",
            "materials": "只要夫妻双方的身份证和结婚证，网上办可以不带纸质材料。",
        },
    ),
    (
        "松阳县卫生健康局",
        "331124-GG-0002",
        "出生医学证明首次签发",
        "public_service",
        1,
        None,
        0,
        True,
        [],
        [
            ("新生儿父母居民身份证", "required", "原件", "1份", "申请人自备"),
            ("《出生医学证明》首次签发登记表", "required", "原件", "1份", "医院提供"),
        ],
        ["在分娩医院填写登记表", "医院核对信息", "当场签发《出生医学证明》"],
        "《中华人民共和国母婴保健法》第二十三条",
        "出生证",
        ["出生证明", "宝宝出生证"],
        ["孩子出生后要办哪些证", "新生儿出生证怎么办"],
        {"conditions": "在县内医院出生的宝宝，由出生的医院签发，出院前就能办好。"},
    ),
    (
        "松阳县公安局",
        "331124-XZ-0003",
        "出生登记（新生儿落户）",
        "confirmation",
        1,
        30,
        1,
        True,
        [],
        [
            ("《出生医学证明》", "required", "原件", "1份", "政府部门核发"),
            ("父母居民户口簿、居民身份证", "required", "原件", "1份", "政府部门核发"),
            ("结婚证", "tolerated", "原件", "1份", "政府部门核发"),
        ],
        ["到户籍窗口或网上申请", "户籍民警审核", "打印户口簿新生儿页"],
        "《中华人民共和国户口登记条例》第七条",
        "上户口",
        ["报户口", "新生儿落户", "户口本"],
        ["孩子出生后要办哪些证", "宝宝怎么上户口"],
        {
            "conditions": "宝宝出生后一个月内，带上出生证明给孩子上户口，可以随父亲或母亲落户。",
            "materials": "出生证明、爸妈的户口本和身份证；结婚证可以后补。",
        },
    ),
    (
        "松阳县医疗保障局",
        "331124-GG-0004",
        "城乡居民基本医疗保险参保登记",
        "public_service",
        0,
        None,
        0,
        True,
        [],
        [("参保人居民身份证或户口簿", "required", "电子证照", "1份", "政府部门核发")],
        ["网上或窗口申请", "系统自动核验", "即时办结"],
        "《中华人民共和国社会保险法》第二十五条",
        "新生儿医保",
        ["办医保", "居民医保", "医保"],
        ["孩子出生后要办哪些证", "宝宝医保怎么办"],
        {"conditions": "没有参加职工医保的本县居民，新生儿出生后就可以参保。"},
    ),
    (
        "丽水市自然资源和规划局松阳分局",
        "331124-XZ-0005",
        "国有建设用地使用权及房屋所有权首次登记",
        "confirmation",
        1,
        30,
        5,
        False,
        [
            {
                "item": "不动产登记费",
                "standard": "住宅类每件80元；非住宅类每件550元",
                "basis": "发改价格规〔2016〕2559号",
            }
        ],
        [
            ("不动产登记申请书", "required", "原件", "1份", "窗口领取"),
            ("申请人身份证明", "required", "原件", "1份", "申请人自备"),
            ("不动产权属来源证明材料", "required", "原件", "1份", "申请人自备"),
            ("房屋竣工验收资料", "required", "复印件", "1份", "申请人自备"),
        ],
        ["窗口或网上申请", "受理审核（必要时实地查看）", "登簿", "发放不动产权证书"],
        "《不动产登记暂行条例》第十四条；《不动产登记暂行条例实施细则》",
        "办房本",
        ["房产证", "不动产权证", "办房产证"],
        ["房产证怎么办", "买了新房怎么办证"],
        {
            "conditions": "新建的房子第一次办产权证，开发商或者建房人都可以申请。",
            "fees": "住宅一件80元，不收其他费用。",
        },
    ),
    (
        "松阳县民政局",
        "331124-XZ-0006",
        "最低生活保障审核确认",
        "payment",
        1,
        30,
        20,
        True,
        [],
        [
            ("低保申请书", "required", "原件", "1份", "窗口领取"),
            ("家庭成员居民身份证、户口簿", "required", "原件", "1份", "申请人自备"),
            ("家庭经济状况核对授权书", "required", "原件", "1份", "窗口领取"),
        ],
        ["向户籍所在地乡镇（街道）提出申请", "入户调查和经济状况核对", "民主评议和公示", "县民政局审核确认"],
        "《社会救助暂行办法》第十一条；《最低生活保障审核确认办法》（民发〔2021〕57号）",
        "低保",
        ["吃低保", "申请低保", "最低生活保障"],
        ["低保怎么申请", "家里困难有什么补助"],
        {"conditions": "家里每人每月收入低于当地低保标准、财产也符合规定的本县户籍家庭可以申请。"},
    ),
    (
        "松阳县市场监督管理局",
        "331124-XZ-0007",
        "食品经营许可（新办）",
        "licence",
        1,
        20,
        3,
        True,
        [],
        [
            ("食品经营许可申请书", "required", "电子", "1份", "网上填写"),
            ("营业执照", "required", "电子证照", "1份", "政府部门核发"),
            ("经营场所平面图和设备布局图", "required", "电子", "1份", "申请人自备"),
            ("食品安全管理制度", "required", "电子", "1份", "申请人自备"),
        ],
        ["网上申请", "受理", "现场核查（必要时）", "作出许可决定并发证"],
        "《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》",
        "餐饮许可证",
        ["食品经营许可证", "开饭店许可证", "开餐馆证"],
        ["开餐馆要办什么证", "开饭店需要哪些证"],
        {"materials": "营业执照办好后，网上提交申请书、店面布局图和管理制度即可。"},
    ),
    (
        "松阳县市场监督管理局",
        "331124-XZ-0008",
        "个体工商户设立登记",
        "licence",
        0,
        15,
        1,
        True,
        [],
        [
            ("个体工商户登记申请书", "required", "电子", "1份", "网上填写"),
            ("经营者身份证明", "required", "电子证照", "1份", "政府部门核发"),
            ("经营场所使用证明", "required", "电子", "1份", "申请人自备"),
        ],
        ["网上申请", "审核", "核发营业执照（可领取电子营业执照）"],
        "《促进个体工商户发展条例》；《中华人民共和国市场主体登记管理条例》第三条",
        "办营业执照",
        ["营业执照", "个体执照"],
        ["开店要办什么证", "开餐馆要办什么证"],
        {"conditions": "有经营场所、想自己开店的个人都可以申请，全程网上办。"},
    ),
    (
        "松阳县人力资源和社会保障局",
        "331124-XZ-0009",
        "职工基本养老保险退休待遇申领",
        "payment",
        0,
        None,
        5,
        True,
        [],
        [
            ("居民身份证", "required", "电子证照", "1份", "政府部门核发"),
            ("社会保障卡", "required", "原件", "1份", "政府部门核发"),
        ],
        ["达到退休年龄前一个月网上申请", "审核工作年限和缴费年限", "核定待遇并按月发放"],
        "《中华人民共和国社会保险法》第十六条",
        "办退休",
        ["退休手续", "领养老金", "社保"],
        ["退休要办什么手续", "养老金怎么领"],
        {"conditions": "到了退休年龄、养老保险交满15年的职工可以申请按月领养老金。"},
    ),
    (
        "松阳县人力资源和社会保障局",
        "331124-XZ-0010",
        "丧葬补助金、抚恤金申领",
        "payment",
        1,
        None,
        5,
        True,
        [],
        [
            ("死亡证明或火化证明", "required", "原件", "1份", "政府部门核发"),
            ("申领人身份证明及与逝者关系证明", "required", "原件", "1份", "申请人自备"),
        ],
        ["家属提出申请", "审核", "发放丧葬补助金和抚恤金"],
        "《中华人民共和国社会保险法》第十七条",
        "领丧葬费",
        ["丧葬补助", "抚恤金"],
        ["家人去世要办什么", "老人去世后社保怎么处理"],
        {"conditions": "参加养老保险的人去世后，家属可以领丧葬补助金和抚恤金。"},
    ),
    (
        "松阳县公安局",
        "331124-XZ-0011",
        "死亡户口注销",
        "confirmation",
        1,
        None,
        0,
        True,
        [],
        [
            ("居民死亡医学证明（推断）书", "required", "原件", "1份", "政府部门核发"),
            ("逝者户口簿", "required", "原件", "1份", "申请人自备"),
        ],
        ["家属到户籍窗口申请", "当场注销户口"],
        "《中华人民共和国户口登记条例》第八条",
        "销户口",
        ["注销户口", "死亡销户"],
        ["家人去世要办什么"],
        {},
    ),
    (
        "松阳县教育局",
        "331124-GG-0012",
        "义务教育阶段新生入学",
        "public_service",
        1,
        None,
        10,
        True,
        [],
        [
            ("适龄儿童户口簿", "required", "原件", "1份", "申请人自备"),
            ("房产证明或居住证明", "required", "原件", "1份", "申请人自备"),
        ],
        ["关注县教育局招生公告", "网上报名", "学校审核", "公布录取结果"],
        "《中华人民共和国义务教育法》第十二条",
        "小学报名",
        ["上小学", "入学报名", "孩子上学"],
        ["孩子上学要办什么", "小学怎么报名"],
        {"conditions": "满6周岁的孩子按学区报名上小学。"},
    ),
    (
        "松阳县市场监督管理局",
        "331124-CF-0013",
        "对未取得食品经营许可从事食品经营活动的行政处罚",
        "penalty",
        None,
        None,
        None,
        True,
        [],
        [],
        ["立案", "调查取证", "告知", "作出处罚决定", "送达执行"],
        "《中华人民共和国食品安全法》第一百二十二条",
        "",
        [],
        [],
        {},
    ),
    (
        "松阳县市场监督管理局",
        "331124-JC-0014",
        "对食品经营者的监督检查",
        "inspection",
        None,
        None,
        None,
        True,
        [],
        [],
        ["制定检查计划", "现场检查", "记录检查结果并公示"],
        "《中华人民共和国食品安全法》第一百一十条",
        "",
        [],
        [],
        {},
    ),
]

RESPONSIBILITIES = {
    "penalty": (
        "立案责任、调查取证责任、审查责任、告知责任、决定责任、送达责任、执行责任",
        "因不履行或不正确履行行政职责，有下列情形的，行政机关及其工作人员应承担相应责任：没有法律依据实施处罚的；擅自改变处罚种类、幅度的；违反法定程序的……",
    ),
    "inspection": (
        "检查责任、处置责任、信息公开责任",
        "不依法履行监督检查职责，或在检查中玩忽职守、滥用职权的，依法追究责任",
    ),
    "licence": (
        "受理责任、审查责任、决定责任、送达责任、事后监管责任",
        "对符合条件的申请不予受理、不予许可或者不在法定期限内作出决定的，依法追究责任",
    ),
    "confirmation": (
        "受理责任、审查责任、决定责任、送达责任",
        "对符合条件的申请不予确认或者超过法定期限确认的，依法追究责任",
    ),
    "payment": ("受理责任、审核责任、给付责任、监管责任", "对符合条件的申请不予给付、或者违规给付的，依法追究责任"),
}

# (name, township, address, hours, phone, services, barrier_free, lng, lat, crs, guide codes)
POINTS = [
    (
        "松阳县行政服务中心",
        "西屏街道",
        "松阳县西屏街道长松路（县行政服务中心）",
        "工作日 8:30-12:00，14:30-17:30；周六上午延时",
        PHONE,
        ["不动产登记", "食品经营许可", "个体工商户登记", "社保医保", "户籍"],
        ["无障碍通道", "无障碍卫生间", "爱心窗口", "轮椅借用"],
        "119.4836",
        "28.4506",
        "wgs84",
        ["331124-XZ-0005", "331124-XZ-0007", "331124-XZ-0008", "331124-XZ-0009", "331124-XZ-0003"],
    ),
    (
        "西屏街道便民服务中心",
        "西屏街道",
        "松阳县西屏街道太平坊路",
        "工作日 8:30-17:00",
        "0578-8062001",
        ["生育登记", "低保", "社保医保"],
        ["无障碍通道", "爱心窗口"],
        "119.4781",
        "28.4471",
        "wgs84",
        ["331124-GG-0001", "331124-XZ-0006", "331124-GG-0004"],
    ),
    (
        "水南街道便民服务中心",
        "水南街道",
        "松阳县水南街道松阳大道",
        "工作日 8:30-17:00",
        "0578-8062002",
        ["生育登记", "低保"],
        ["无障碍通道"],
        "119.4930",
        "28.4352",
        "wgs84",
        ["331124-GG-0001", "331124-XZ-0006"],
    ),
    (
        "望松街道便民服务中心",
        "望松街道",
        "松阳县望松街道望松路",
        "工作日 8:30-17:00",
        "0578-8062003",
        ["生育登记", "社保医保"],
        [],
        "119.4602",
        "28.4648",
        "wgs84",
        ["331124-GG-0001"],
    ),
    (
        "古市镇便民服务中心",
        "古市镇",
        "松阳县古市镇古市大街",
        "工作日 8:30-17:00",
        "0578-8062004",
        ["生育登记", "低保", "社保医保", "户籍"],
        ["无障碍通道", "爱心窗口"],
        "119.4000",
        "28.5280",
        "wgs84",
        ["331124-GG-0001", "331124-XZ-0006", "331124-XZ-0003"],
    ),
    (
        "象溪镇便民服务中心",
        "象溪镇",
        "松阳县象溪镇象溪村",
        "工作日 8:30-17:00",
        "0578-8062005",
        ["生育登记", "低保"],
        [],
        "119.5402",
        "28.3951",
        "gcj02",
        ["331124-GG-0001"],
    ),
    (
        "大东坝镇便民服务中心",
        "大东坝镇",
        "松阳县大东坝镇大东坝村",
        "工作日 8:30-17:00",
        "0578-8062006",
        ["生育登记", "低保"],
        [],
        "119.5661",
        "28.2881",
        "bd09",
        ["331124-GG-0001"],
    ),
    (
        "松阳县人民医院产科出生证明窗口",
        "西屏街道",
        "松阳县西屏街道（县人民医院门诊楼二楼）",
        "工作日 8:00-17:00",
        "0578-8065120",
        ["出生医学证明"],
        ["无障碍通道", "无障碍卫生间"],
        "119.4870",
        "28.4530",
        "wgs84",
        ["331124-GG-0002"],
    ),
]

# (slug, title, audience, summary, keywords, steps[(kind, guide code | point name | note title, note)])
EVENTS = [
    (
        "have-a-baby",
        "我要生孩子",
        "resident",
        "从怀孕到宝宝落户、参保，按顺序办好这几件事。",
        ["孩子出生", "新生儿", "生孩子", "怀孕", "宝宝"],
        [
            ("guide", "331124-GG-0001", "怀孕后先在网上做生育登记"),
            ("guide", "331124-GG-0002", "出院前在医院领出生证"),
            ("guide", "331124-XZ-0003", "出生一个月内给宝宝上户口"),
            ("guide", "331124-GG-0004", "上户口后给宝宝办医保"),
            ("benefit", "育儿补贴", "符合条件的家庭可申领育儿补贴"),
            ("faq", "出生", ""),
            ("point", "西屏街道便民服务中心", "就近的便民服务中心可以咨询"),
        ],
    ),
    (
        "go-to-school",
        "孩子上学",
        "resident",
        "孩子满6周岁，小学报名要准备的材料和时间。",
        ["上学", "入学", "小学"],
        [("guide", "331124-GG-0012", "关注招生公告并网上报名"), ("point", "松阳县行政服务中心", "")],
    ),
    (
        "open-a-restaurant",
        "我要开餐馆",
        "enterprise",
        "先办营业执照，再办食品经营许可，了解开业扶持政策。",
        ["开餐馆", "开饭店", "餐饮", "开店"],
        [
            ("guide", "331124-XZ-0008", "先办营业执照（全程网办）"),
            ("guide", "331124-XZ-0007", "再办食品经营许可"),
            ("benefit", "小微企业吸纳就业社保补贴", "招用员工后可申请"),
            ("point", "松阳县行政服务中心", ""),
        ],
    ),
    (
        "retire",
        "我要退休",
        "resident",
        "到了退休年龄怎么领养老金。",
        ["退休", "养老金"],
        [("guide", "331124-XZ-0009", "退休前一个月网上申请"), ("point", "松阳县行政服务中心", "")],
    ),
    (
        "bereavement",
        "家人去世",
        "resident",
        "家人去世后需要办理的户口注销和待遇申领。",
        ["去世", "死亡", "丧葬"],
        [
            ("guide", "331124-XZ-0011", "先注销户口"),
            ("guide", "331124-XZ-0010", "再申领丧葬补助金和抚恤金"),
            ("note", "其他事项", "如有不动产、存款继承等，可咨询12345热线"),
        ],
    ),
]


def _unit(name: str) -> Organisation | None:
    return Organisation.objects.filter(name=name).first()


def _version_data(row) -> dict:
    unit, code, name, kind, visits, legal, promised, no_fee, fees, materials, process, basis = row[:12]
    data = {
        "name": name,
        "code": code,
        "kind": kind,
        "legal_basis": basis,
        "implementing_body": unit,
        "service_objects": ["企业法人", "个体工商户"] if kind in ("licence", "penalty", "inspection") else ["自然人"],
        "conditions": f"符合{name}相关法律法规规定条件的申请人。",
        "materials": [
            {
                "name": m[0],
                "necessity": m[1],
                "form": m[2],
                "copies": m[3],
                "source": m[4],
                "blank_form": "",
                "sample": "",
            }
            for m in materials
        ],
        "process": process,
        "legal_limit_days": legal if legal is not None else promised,
        "promised_limit_days": promised,
        "no_fee": no_fee,
        "fees": fees,
        "consultation": f"咨询电话：{PHONE}（工作日）",
        "complaint": COMPLAINT,
        "location_time": CENTRE,
        "visits": visits,
        "online_url": f"https://www.zjzwfw.gov.cn/zjservice/item/detail/index.do?localInnerCode={code}"
        if visits == 0
        else "",
    }
    if kind in RESPONSIBILITIES:
        data["responsibilities"], data["accountability"] = RESPONSIBILITIES[kind]
    if kind in ("penalty", "inspection"):
        data.update(
            materials=[
                {
                    "name": "（依职权实施，无需申请材料）",
                    "necessity": "optional",
                    "form": "",
                    "copies": "",
                    "source": "",
                    "blank_form": "",
                    "sample": "",
                }
            ],
            legal_limit_days=90,
            promised_limit_days=90,
            visits=0,
            conditions="依职权实施。",
        )
    return data


@transaction.atomic
def load(ctx) -> None:
    admin = ctx["admin"]
    guides: dict[str, Guide] = {}
    for row in GUIDES:
        unit = _unit(row[0])
        if unit is None:
            continue
        code = row[1]
        guide = Guide.objects.filter(unit=unit, code=code).first()
        if guide is None:
            guide = services.guide_create(actor=admin, unit=unit, data=_version_data(row), theme="")
            version = guide.versions.get()
            version = services.guide_version_submit(actor=admin, version=version)
            services.guide_version_publish(actor=admin, version=version)
            everyday, aliases, questions, plain = row[12:16]
            if everyday:
                services.guide_wording_save(
                    actor=admin,
                    guide=guide,
                    everyday_name=everyday,
                    aliases=aliases,
                    plain=plain,
                    question_phrases=questions,
                )
        guides[code] = guide
    _incomplete_draft(admin)
    points = _points(admin, guides)
    from gongkai.benefits.demo import load as load_benefits  # items are steps of the life events

    load_benefits(ctx)
    _events(ctx, admin, guides, points)


def _incomplete_draft(admin) -> None:
    """One imported-looking draft with missing elements (shown in the workbench queue)."""
    unit = _unit("松阳县民政局")
    if unit is None or Guide.objects.filter(unit=unit, code="331124-XZ-0099").exists():
        return
    services.guide_create(
        actor=admin,
        unit=unit,
        data={"name": "临时救助审批", "code": "331124-XZ-0099", "kind": "payment", "visits": 1, "conditions": "无"},
        imported=True,
    )


def _points(admin, guides) -> dict[str, ServicePoint]:
    out = {}
    for name, township, address, hours, phone, offered, barrier, lng, lat, crs, codes in POINTS:
        existing = ServicePoint.objects.filter(name=name).first()
        if existing is None:
            unit = _unit("松阳县人民政府")
            existing = services.point_save(
                actor=admin,
                unit=unit,
                data={
                    "name": name,
                    "address": address,
                    "opening_hours": hours,
                    "phone": phone,
                    "services": offered,
                    "barrier_free": barrier,
                    "township": _unit(township),
                },
                lng=lng,
                lat=lat,
                crs=crs,
            )
            existing.guides.set([guides[c] for c in codes if c in guides])
        out[name] = existing
    return out


def _events(ctx, admin, guides, points) -> None:
    from gongkai.benefits.models import BenefitItem
    from gongkai.interaction import selectors as interaction

    county = ctx["county"]
    for order, (slug, title, audience, summary, keywords, steps) in enumerate(EVENTS, start=1):
        if LifeEvent.objects.filter(slug=slug).exists():
            continue
        resolved = []
        for kind, ref, note in steps:
            if kind == "guide" and ref in guides:
                resolved.append({"kind": "guide", "guide": guides[ref], "title": note})
            elif kind == "point" and ref in points:
                resolved.append({"kind": "point", "point": points[ref], "title": points[ref].name, "note": note})
            elif kind == "benefit":
                item = BenefitItem.objects.filter(title__contains=ref).first()
                if item is not None:
                    resolved.append({"kind": "benefit", "ref_id": item.pk, "title": item.title, "note": note})
            elif kind == "faq":
                entry = interaction.published_faq().filter(question__contains=ref).first()
                if entry is not None:
                    resolved.append({"kind": "faq", "ref_id": entry.pk, "title": entry.question})
            elif kind == "note":
                resolved.append({"kind": "note", "title": ref, "note": note})
        services.event_save(
            actor=admin,
            unit=county,
            data={
                "slug": slug,
                "title": title,
                "audience": audience,
                "summary": summary,
                "keywords": keywords,
                "is_published": True,
                "sort_order": order,
            },
            steps=resolved,
        )
