"""Word lists for the fictional demo dataset (no real company names).

Brand syllables were chosen to avoid Liuzhou's well-known enterprises (柳工, 五菱, 宝骏, 柳钢, 柳化,
欧维姆, 两面针, 金嗓子, 乘龙, 风行, 方盛, 双英, 螺霸王 …). Universities and institutes are invented.
"""

from __future__ import annotations

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

BRANDS: tuple[str, ...] = (
    "鑫桥", "恒锐", "嘉铖", "拓联", "瀚川", "欣澜", "锦屹", "铂峰", "沃腾", "昱晟",
    "骏弛", "森屿", "岚峰", "澄远", "朗晖", "博衍", "耀钧", "翊达", "曜川", "泓铠",
    "峻岭", "桂枫", "融岚", "江澈", "启衡", "弘驿", "瑞屿", "梧岳", "凯湄", "青榕",
    "竣和", "知澜", "南屹", "晟桦", "霁川", "稷丰", "粼江", "璟越", "荔塘", "榕晟",
    "柏隆", "觅川", "泽稷", "汀屿", "崇衍",
)  # fmt: skip

# industry → (company-name phrases, centre-name phrases with research directions)
INDUSTRIES: dict[str, tuple[tuple[str, ...], tuple[tuple[str, str, str], ...]]] = {
    "汽车": (
        ("汽车零部件有限公司", "汽车电子股份有限公司", "新能源汽车电驱有限公司", "汽车座椅系统有限公司"),
        (
            ("汽车轻量化车身", "Lightweight Vehicle Body", "高强钢与铝合金车身结构轻量化设计及成形工艺"),
            ("新能源汽车电驱动", "New Energy Vehicle Electric Drive", "扁线电机与多合一电驱总成集成"),
            (
                "智能网联汽车线控底盘",
                "Intelligent Connected Vehicle Chassis-by-Wire",
                "线控制动与线控转向冗余控制",
            ),
            ("汽车座舱人机交互", "Automotive Cockpit HMI", "智能座舱域控制器与多模态交互"),
        ),
    ),
    "钢铁": (
        ("特钢材料有限公司", "金属制品股份有限公司"),
        (
            ("高性能特种钢", "High Performance Special Steel", "汽车用高强韧特种钢冶炼与控轧控冷"),
            ("钢铁绿色低碳冶炼", "Green Low-carbon Steelmaking", "烧结烟气超低排放与余热回收"),
        ),
    ),
    "机械": (
        ("重工机械股份有限公司", "液压科技有限公司", "智能装备有限公司", "精密机械有限公司"),
        (
            (
                "工程机械电液控制",
                "Construction Machinery Electro-hydraulic Control",
                "工程机械电液比例控制与智能化",
            ),
            ("智能物流装备", "Intelligent Logistics Equipment", "柔性输送与自动分拣装备"),
            ("精密减速器", "Precision Reducer", "机器人用RV减速器精密加工与检测"),
        ),
    ),
    "化工": (
        ("精细化工有限公司", "化工新材料股份有限公司"),
        (
            ("精细化学品合成", "Fine Chemicals Synthesis", "绿色催化与连续流精细化学品合成"),
            ("水性涂料", "Waterborne Coatings", "汽车用水性涂料配方与涂装工艺"),
        ),
    ),
    "日用消费品": (
        ("螺蛳粉食品有限公司", "日化用品有限公司", "家居用品有限公司"),
        (
            ("螺蛳粉产业化", "River Snail Rice Noodle Industrialization", "螺蛳粉汤料标准化与保鲜工艺"),
            ("日化产品绿色制造", "Green Manufacturing of Daily Chemicals", "天然植物提取物日化产品配方"),
            ("竹木家居智能制造", "Bamboo and Wood Furniture Intelligent Manufacturing", "竹木家居柔性生产线"),
        ),
    ),
    "新材料": (
        ("新材料科技有限公司", "复合材料股份有限公司"),
        (
            ("碳纤维复合材料", "Carbon Fiber Composites", "碳纤维复合材料汽车结构件成型"),
            ("锌基合金材料", "Zinc-based Alloy Materials", "高性能锌基合金压铸与表面处理"),
        ),
    ),
    "电子信息": (
        ("电子科技有限公司", "信息技术股份有限公司"),
        (
            ("工业互联网", "Industrial Internet", "制造业设备联网与工业数据平台"),
            ("车载电子控制器", "Automotive Electronic Controller", "车规级控制器硬件与功能安全"),
        ),
    ),
    "生物医药": (
        ("生物医药有限公司", "制药股份有限公司", "医疗器械有限公司"),
        (
            ("民族药现代化", "Ethnic Medicine Modernization", "侗药苗药有效成分提取与制剂"),
            ("医用防护材料", "Medical Protective Materials", "医用无纺防护材料与检测"),
        ),
    ),
    "节能环保": (
        ("环保科技有限公司", "节能技术有限公司"),
        (
            ("工业固废资源化", "Industrial Solid Waste Recycling", "冶炼渣与建筑垃圾资源化利用"),
            ("工业节能", "Industrial Energy Saving", "余热余压回收与能效管理"),
        ),
    ),
    "现代农业": (
        ("农业科技有限公司", "林业科技有限公司", "茶业有限公司"),
        (
            ("金桔种植与加工", "Kumquat Cultivation and Processing", "融安金桔标准化种植与精深加工"),
            ("高山茶叶", "Highland Tea", "三江高山茶品种选育与加工"),
            ("速生林木精深加工", "Fast-growing Timber Processing", "桉树松木人造板与林产化工"),
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

UNIVERSITIES: tuple[tuple[str, str], ...] = (
    # (name, kind)
    ("桂中理工大学", "university"),
    ("南岭工程技术学院", "university"),
    ("柳岸职业技术学院", "university"),
    ("柳江应用技术研究院", "institute"),
    ("桂西新材料研究所", "institute"),
    ("西江农林科学研究所", "institute"),
)

EXTERNAL_ORGS: tuple[tuple[str, str], ...] = (
    # (organization of an external expert, committee category)
    ("桂中理工大学", "university"),
    ("南岭工程技术学院", "university"),
    ("柳岸职业技术学院", "university"),
    ("华南某理工大学", "university"),
    ("西南某交通大学", "university"),
    ("柳江应用技术研究院", "institute"),
    ("桂西新材料研究所", "institute"),
    ("西江农林科学研究所", "institute"),
    ("某汽车工程研究院", "institute"),
    ("柳州某汽车行业协会", "association"),
    ("柳州某机械工程学会", "association"),
    ("广西某材料行业协会", "association"),
    ("柳州某某钢材贸易有限公司", "enterprise_upstream"),
    ("柳州某某物流有限公司", "enterprise_downstream"),
    ("柳州某某汽车销售服务有限公司", "enterprise_downstream"),
)

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
