"""Word lists for the fictional demo dataset (no real company, university or person is meant).

Brand syllables were chosen to avoid Liuzhou's well-known enterprises (柳工, 五菱, 宝骏, 柳钢, 柳化,
欧维姆, 两面针, 金嗓子, 乘龙, 风行, 方盛, 双英, 螺霸王 …). Universities, institutes, associations and
the experts' enterprises are invented too. Every host has an English name (brand romanisation +
the English form of its company phrase), because 第二十六条 puts the host's English name in
brackets after the centre's English name.
"""

from __future__ import annotations

from dataclasses import dataclass

DISTRICTS: tuple[tuple[str, str, str], ...] = (
    # (division code, name, competent department)
    ("450202", "城中区", "城中区科技局"),
    ("450203", "鱼峰区", "鱼峰区科技局"),
    ("450204", "柳南区", "柳南区科技局"),
    ("450205", "柳北区", "柳北区科技局"),
    ("450206", "柳江区", "柳江区科技局"),
    ("450222", "柳城县", "柳城县科技局"),
    ("450223", "鹿寨县", "鹿寨县科技局"),
    ("450224", "融安县", "融安县科技局"),
    ("450225", "融水苗族自治县", "融水苗族自治县科技局"),
    ("450226", "三江侗族自治县", "三江侗族自治县科技局"),
    ("450200", "柳州市（市本级）", "柳东新区管委会科技局"),
)

# Where an enterprise of a district has its premises (fictional streets and parks).
DISTRICT_ADDRESSES: dict[str, tuple[str, ...]] = {
    "450202": ("柳州市城中区文昌路", "柳州市城中区潭中东路"),
    "450203": ("柳州市鱼峰区柳石路", "柳州市鱼峰区阳和工业新区阳泰路"),
    "450204": ("柳州市柳南区航鹰大道", "柳州市柳南区河西工业园西环路"),
    "450205": ("柳州市柳北区北雀路", "柳州市柳北区沙塘工业园兴业路"),
    "450206": ("柳州市柳江区新兴工业园", "柳州市柳江区拉堡镇柳堡路"),
    "450222": ("柳州市柳城县大埔镇工业集中区",),
    "450223": ("柳州市鹿寨县鹿寨镇经济开发区",),
    "450224": ("柳州市融安县长安镇工业园",),
    "450225": ("柳州市融水苗族自治县融水镇工业园",),
    "450226": ("柳州市三江侗族自治县古宜镇产业园",),
    "450200": ("柳州市柳东新区新柳大道", "柳州市柳东新区车园横路"),
}

# Brand → its romanisation (pinyin), used in the host's English name.
BRAND_EN: dict[str, str] = {
    "鑫桥": "Xinqiao", "恒锐": "Hengrui", "嘉铖": "Jiacheng", "拓联": "Tuolian", "瀚川": "Hanchuan",
    "欣澜": "Xinlan", "锦屹": "Jinyi", "铂峰": "Bofeng", "沃腾": "Woteng", "昱晟": "Yusheng",
    "骏弛": "Junchi", "森屿": "Senyu", "岚峰": "Lanfeng", "澄远": "Chengyuan", "朗晖": "Langhui",
    "博衍": "Boyan", "耀钧": "Yaojun", "翊达": "Yida", "曜川": "Yaochuan", "泓铠": "Hongkai",
    "峻岭": "Junling", "桂枫": "Guifeng", "融岚": "Ronglan", "江澈": "Jiangche", "启衡": "Qiheng",
    "弘驿": "Hongyi", "瑞屿": "Ruiyu", "梧岳": "Wuyue", "凯湄": "Kaimei", "青榕": "Qingrong",
    "竣和": "Junhe", "知澜": "Zhilan", "南屹": "Nanyi", "晟桦": "Shenghua", "霁川": "Jichuan",
    "稷丰": "Jifeng", "粼江": "Linjiang", "璟越": "Jingyue", "荔塘": "Litang", "榕晟": "Rongsheng",
    "柏隆": "Bailong", "觅川": "Michuan", "泽稷": "Zeji", "汀屿": "Tingyu", "崇衍": "Chongyan",
}  # fmt: skip
BRANDS: tuple[str, ...] = tuple(BRAND_EN)

# Company phrase (what follows 柳州 + brand) → its English form.
COMPANY_EN: dict[str, str] = {
    "汽车零部件有限公司": "Auto Parts Co., Ltd.",
    "汽车电子股份有限公司": "Automotive Electronics Co., Ltd.",
    "新能源汽车电驱有限公司": "New Energy Vehicle Electric Drive Co., Ltd.",
    "汽车座椅系统有限公司": "Automotive Seating Systems Co., Ltd.",
    "汽车模具有限公司": "Automotive Die & Mould Co., Ltd.",
    "特钢材料有限公司": "Special Steel Materials Co., Ltd.",
    "金属制品股份有限公司": "Metal Products Co., Ltd.",
    "重工机械股份有限公司": "Heavy Machinery Co., Ltd.",
    "液压科技有限公司": "Hydraulic Technology Co., Ltd.",
    "智能装备有限公司": "Intelligent Equipment Co., Ltd.",
    "精密机械有限公司": "Precision Machinery Co., Ltd.",
    "传动科技有限公司": "Transmission Technology Co., Ltd.",
    "精细化工有限公司": "Fine Chemical Co., Ltd.",
    "化工新材料股份有限公司": "Chemical New Materials Co., Ltd.",
    "涂料科技有限公司": "Coatings Technology Co., Ltd.",
    "螺蛳粉食品有限公司": "River Snail Rice Noodle Food Co., Ltd.",
    "日化用品有限公司": "Daily Chemical Products Co., Ltd.",
    "家居用品有限公司": "Home Furnishings Co., Ltd.",
    "新材料科技有限公司": "New Material Technology Co., Ltd.",
    "复合材料股份有限公司": "Composite Materials Co., Ltd.",
    "合金材料有限公司": "Alloy Materials Co., Ltd.",
    "电子科技有限公司": "Electronic Technology Co., Ltd.",
    "信息技术股份有限公司": "Information Technology Co., Ltd.",
    "生物医药有限公司": "Biomedical Co., Ltd.",
    "制药股份有限公司": "Pharmaceutical Co., Ltd.",
    "医疗器械有限公司": "Medical Devices Co., Ltd.",
    "环保科技有限公司": "Environmental Technology Co., Ltd.",
    "节能技术有限公司": "Energy Saving Technology Co., Ltd.",
    "农业科技有限公司": "Agricultural Technology Co., Ltd.",
    "林业科技有限公司": "Forestry Technology Co., Ltd.",
    "茶业有限公司": "Tea Co., Ltd.",
}

# One research field of a centre: (Chinese field, English field, research direction, company phrases
# of the enterprises that would host it).
ResearchField = tuple[str, str, str, tuple[str, ...]]

# industry → its research fields
INDUSTRIES: dict[str, tuple[ResearchField, ...]] = {
    "汽车": (
        (
            "汽车轻量化车身",
            "Lightweight Vehicle Body",
            "高强钢与铝合金车身结构轻量化设计及成形工艺",
            ("汽车零部件有限公司", "汽车模具有限公司"),
        ),
        (
            "新能源汽车电驱动",
            "New Energy Vehicle Electric Drive",
            "扁线电机与多合一电驱总成集成",
            ("新能源汽车电驱有限公司",),
        ),
        (
            "智能网联汽车线控底盘",
            "Intelligent Connected Vehicle Chassis-by-Wire",
            "线控制动与线控转向冗余控制",
            ("汽车电子股份有限公司", "汽车零部件有限公司"),
        ),
        (
            "汽车座舱人机交互",
            "Automotive Cockpit HMI",
            "智能座舱域控制器与多模态交互",
            ("汽车电子股份有限公司",),
        ),
        (
            "汽车座椅安全与舒适性",
            "Automotive Seat Safety and Comfort",
            "座椅骨架轻量化与主被动安全集成",
            ("汽车座椅系统有限公司",),
        ),
        (
            "汽车精密冲压模具",
            "Automotive Precision Stamping Die",
            "汽车覆盖件精密冲压模具设计与制造",
            ("汽车模具有限公司",),
        ),
    ),
    "钢铁": (
        (
            "高性能特种钢",
            "High Performance Special Steel",
            "汽车用高强韧特种钢冶炼与控轧控冷",
            ("特钢材料有限公司",),
        ),
        (
            "钢铁绿色低碳冶炼",
            "Green Low-carbon Steelmaking",
            "烧结烟气超低排放与余热回收",
            ("特钢材料有限公司", "金属制品股份有限公司"),
        ),
        (
            "高强度钢丝与钢绞线",
            "High Strength Steel Wire and Strand",
            "桥梁缆索用高强度镀锌钢丝拉拔与热处理",
            ("金属制品股份有限公司",),
        ),
    ),
    "机械": (
        (
            "工程机械电液控制",
            "Construction Machinery Electro-hydraulic Control",
            "工程机械电液比例控制与智能化",
            ("重工机械股份有限公司", "液压科技有限公司"),
        ),
        (
            "智能物流装备",
            "Intelligent Logistics Equipment",
            "柔性输送与自动分拣装备",
            ("智能装备有限公司",),
        ),
        (
            "精密减速器",
            "Precision Reducer",
            "机器人用RV减速器精密加工与检测",
            ("精密机械有限公司", "传动科技有限公司"),
        ),
        (
            "工程机械传动系统",
            "Construction Machinery Transmission",
            "工程机械变速箱与驱动桥设计及可靠性",
            ("重工机械股份有限公司", "传动科技有限公司"),
        ),
    ),
    "化工": (
        (
            "精细化学品合成",
            "Fine Chemicals Synthesis",
            "绿色催化与连续流精细化学品合成",
            ("精细化工有限公司", "化工新材料股份有限公司"),
        ),
        (
            "水性涂料",
            "Waterborne Coatings",
            "汽车用水性涂料配方与涂装工艺",
            ("涂料科技有限公司", "化工新材料股份有限公司"),
        ),
    ),
    "日用消费品": (
        (
            "螺蛳粉产业化",
            "River Snail Rice Noodle Industrialization",
            "螺蛳粉汤料标准化与保鲜工艺",
            ("螺蛳粉食品有限公司",),
        ),
        (
            "日化产品绿色制造",
            "Green Manufacturing of Daily Chemicals",
            "天然植物提取物日化产品配方",
            ("日化用品有限公司",),
        ),
        (
            "竹木家居智能制造",
            "Bamboo and Wood Furniture Intelligent Manufacturing",
            "竹木家居柔性生产线",
            ("家居用品有限公司",),
        ),
    ),
    "新材料": (
        (
            "碳纤维复合材料",
            "Carbon Fiber Composites",
            "碳纤维复合材料汽车结构件成型",
            ("复合材料股份有限公司", "新材料科技有限公司"),
        ),
        (
            "锌基合金材料",
            "Zinc-based Alloy Materials",
            "高性能锌基合金压铸与表面处理",
            ("合金材料有限公司", "新材料科技有限公司"),
        ),
    ),
    "电子信息": (
        (
            "工业互联网",
            "Industrial Internet",
            "制造业设备联网与工业数据平台",
            ("信息技术股份有限公司",),
        ),
        (
            "车载电子控制器",
            "Automotive Electronic Controller",
            "车规级控制器硬件与功能安全",
            ("电子科技有限公司",),
        ),
    ),
    "生物医药": (
        (
            "民族药现代化",
            "Ethnic Medicine Modernization",
            "侗药苗药有效成分提取与制剂",
            ("制药股份有限公司", "生物医药有限公司"),
        ),
        (
            "医用防护材料",
            "Medical Protective Materials",
            "医用无纺防护材料与检测",
            ("医疗器械有限公司",),
        ),
    ),
    "节能环保": (
        (
            "工业固废资源化",
            "Industrial Solid Waste Recycling",
            "冶炼渣与建筑垃圾资源化利用",
            ("环保科技有限公司",),
        ),
        (
            "工业节能",
            "Industrial Energy Saving",
            "余热余压回收与能效管理",
            ("节能技术有限公司",),
        ),
    ),
    "现代农业": (
        (
            "金桔种植与加工",
            "Kumquat Cultivation and Processing",
            "金桔标准化种植与精深加工",
            ("农业科技有限公司",),
        ),
        (
            "高山茶叶",
            "Highland Tea",
            "高山茶品种选育与加工",
            ("茶业有限公司",),
        ),
        (
            "速生林木精深加工",
            "Fast-growing Timber Processing",
            "桉树松木人造板与林产化工",
            ("林业科技有限公司",),
        ),
    ),
}

# Where each industry's hosts are (division codes), to spread hosts realistically.
INDUSTRY_DISTRICTS: dict[str, tuple[str, ...]] = {
    "汽车": ("450200", "450205", "450203", "450204"),
    "钢铁": ("450205", "450204"),
    "机械": ("450205", "450204", "450206"),
    "化工": ("450205", "450203", "450223"),
    "日用消费品": ("450203", "450202", "450206"),
    "新材料": ("450200", "450204", "450222"),
    "电子信息": ("450202", "450200"),
    "生物医药": ("450206", "450225", "450202"),
    "节能环保": ("450204", "450223"),
    "现代农业": ("450224", "450226", "450222", "450225", "450223"),
}


@dataclass(frozen=True, slots=True)
class University:
    """A fictional university or research institute in Liuzhou."""

    name: str
    name_en: str
    kind: str  # university / institute
    division: str  # where it is registered and sits (所在县区)
    address: str
    industries: tuple[str, ...]  # the key industries it works for


UNIVERSITIES: tuple[University, ...] = (
    University(
        "桂中理工大学",
        "Guizhong University of Technology",
        "university",
        "450205",
        "柳州市柳北区北岸大道88号",
        ("汽车", "机械", "电子信息", "新材料"),
    ),
    University(
        "南岭工程技术学院",
        "Nanling Institute of Engineering Technology",
        "university",
        "450203",
        "柳州市鱼峰区科教路16号",
        ("节能环保", "机械", "化工", "钢铁"),
    ),
    University(
        "柳岸职业技术学院",
        "Liu'an Vocational and Technical College",
        "university",
        "450206",
        "柳州市柳江区新兴路201号",
        ("汽车", "日用消费品", "电子信息"),
    ),
    University(
        "柳江应用技术研究院",
        "Liujiang Academy of Applied Technology",
        "institute",
        "450202",
        "柳州市城中区文昌路35号",
        ("电子信息", "汽车", "机械"),
    ),
    University(
        "桂西新材料研究所",
        "Guixi Institute of New Materials",
        "institute",
        "450204",
        "柳州市柳南区航岭路62号",
        ("新材料", "钢铁", "化工"),
    ),
    University(
        "西江农林科学研究所",
        "Xijiang Institute of Agricultural and Forestry Sciences",
        "institute",
        "450223",
        "柳州市鹿寨县鹿寨镇农科路9号",
        ("现代农业", "生物医药", "日用消费品"),
    ),
)

EXTERNAL_ORGS: tuple[tuple[str, str], ...] = (
    # (organization of an external expert, committee category)
    ("桂中理工大学", "university"),
    ("南岭工程技术学院", "university"),
    ("柳岸职业技术学院", "university"),
    ("华岭理工大学", "university"),
    ("黔桂交通大学", "university"),
    ("柳江应用技术研究院", "institute"),
    ("桂西新材料研究所", "institute"),
    ("西江农林科学研究所", "institute"),
    ("华桂汽车工程研究院", "institute"),
    ("柳州市汽车零部件产业促进会", "association"),
    ("柳州市智能制造产业联合会", "association"),
    ("广西新材料产业促进会", "association"),
    ("柳州沐川钢材贸易有限公司", "enterprise_upstream"),
    ("柳州禾驿物流有限公司", "enterprise_downstream"),
    ("柳州锐驰汽车销售服务有限公司", "enterprise_downstream"),
)

# Bureau staff recorded as the operator of the demo's writes (fictional people).
STAFF_INTAKE = "科技局 李科员"  # 受理：申报、企业与首席技术官备案
STAFF_REVIEW = "科技局 覃科长"  # 评审、公示、认定、绩效评估
STAFF_OPERATIONS = "科技局 韦科员"  # 运行管理：主任、委员会、年报
DEMO_STAFF: tuple[str, ...] = (STAFF_INTAKE, STAFF_REVIEW, STAFF_OPERATIONS)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高梁郑谢韦覃蒙莫廖卢蓝潘唐陆"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文斌辉宁波鹏飞宇晨浩然思远嘉怡俊峰海燕春梅"

MEETING_TOPICS_MANAGEMENT = (
    "审议年度发展计划与经费预算",
    "审议年度工作总结与经费决算",
    "研究重大项目立项与中心主任考核",
    "审议开放课题设置与人员聘用",
)
MEETING_TOPICS_EXPERT = (
    "研发方向与年度科研计划咨询",
    "重大项目技术路线论证",
    "知识产权管理与技术服务咨询",
)
EQUIPMENT = (
    ("三坐标测量机", 1_200_000),
    ("高低温交变湿热试验箱", 380_000),
    ("电液伺服疲劳试验机", 2_600_000),
    ("扫描电子显微镜", 1_800_000),
    ("气相色谱质谱联用仪", 950_000),
    ("电磁兼容测试系统", 2_100_000),
    ("五轴联动加工中心", 3_400_000),
    ("激光粒度分析仪", 420_000),
)
