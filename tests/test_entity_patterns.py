"""The pattern layer of the entity tagger on unseen names of known shapes."""

import pytest

from pipeline.entity_patterns import EntityPatterns


@pytest.fixture(scope="module")
def patterns():
    return EntityPatterns.from_file()


def found(patterns, text):
    return [(text[m.start : m.end], m.label) for m in patterns.find(text)]


@pytest.mark.parametrize(
    "text, entity",
    [
        ("今年以来，我区开展“清风护航”专项整治行动，查处案件12件。", ("“清风护航”专项整治行动", "CAMPAIGN")),
        ("成立某某区矛盾纠纷多元化解中心，全年受理纠纷300件。", ("某某区矛盾纠纷多元化解中心", "INSTITUTION")),
        ("贯彻《青山县优化营商环境实施方案（2023—2025年）》。", ("《青山县优化营商环境实施方案（2023—2025年）》", "PLAN")),
        ("认真执行《中华人民共和国行政复议法》。", ("《中华人民共和国行政复议法》", "LAW")),
        ("全面落实行政执法“三项制度”。", ("行政执法“三项制度”", "LAW")),
        ("统筹推进“八五”普法规划实施。", ("“八五”普法规划", "PLAN")),
        ("深入开展宪法宣传周活动。", ("宪法宣传周", "CAMPAIGN")),
        ("组织县司法局、县人社局等部门开展培训。", ("县人社局", "INSTITUTION")),
        ("提交县政府常务会议审议。", ("县政府常务会议", "INSTITUTION")),
        ("區司法局聯合區人民法院開展調解。", ("區人民法院", "INSTITUTION")),  # traditional characters
        # a national bureau with its local office; bodies of several levels named at once
        ("国家税务总局青川县税务局推行“首违不罚”。", ("国家税务总局青川县税务局", "INSTITUTION")),
        ("市、县两级人民法院全部开通网上立案。", ("市、县两级人民法院", "INSTITUTION")),
        ("县乡两级政府全部配备法律顾问。", ("县乡两级政府", "INSTITUTION")),
        # long place names: an autonomous county with its people's name, a development zone
        ("龙溪苗族自治县人民代表大会常务委员会审议通过。", ("龙溪苗族自治县人民代表大会常务委员会", "INSTITUTION")),
        ("桐川经济技术开发区管委会印发实施方案。", ("桐川经济技术开发区管委会", "INSTITUTION")),
        ("青山县委县政府高度重视法治建设。", ("青山县委", "INSTITUTION")),
        ("青山县委县政府高度重视法治建设。", ("县政府", "INSTITUTION")),
        ("积极配合中央生态环境保护督察。", ("中央生态环境保护督察", "CAMPAIGN")),
        ("桂苑小区业委会修订管理规约。", ("桂苑小区业委会", "INSTITUTION")),
        ("澄江市中院在乡镇设立巡回审判点。", ("澄江市中院", "INSTITUTION")),
        ("青川华源建设有限公司签订承诺书。", ("青川华源建设有限公司", "INSTITUTION")),
        # a rule system named after a body's meeting; rules of procedure
        ("严格落实区政府常务会议会前学法制度。", ("区政府常务会议会前学法制度", "LAW")),
        ("修订区委常委会会议议事规则。", ("区委常委会会议议事规则", "LAW")),
        # standing meetings: of a congress's heads, of a bureau, of a body's head
        ("提请市人大常委会主任会议研究。", ("市人大常委会主任会议", "INSTITUTION")),
        ("经县应急管理局局务会议集体讨论。", ("县应急管理局局务会议", "INSTITUTION")),
        ("召开主任办公会3次。", ("主任办公会", "INSTITUTION")),
        # sub-units and committees whose names hold a verb or a conjunction
        ("县法院执行局开展执行工作。", ("县法院执行局", "INSTITUTION")),
        ("青川县人民检察院第二检察部办理案件。", ("青川县人民检察院第二检察部", "INSTITUTION")),
        ("市政协社会和法制委员会开展专题调研。", ("市政协社会和法制委员会", "INSTITUTION")),
        ("县未成年人保护工作委员会办公室印发通知。", ("县未成年人保护工作委员会办公室", "INSTITUTION")),
        ("区委全面依法治区委员会执法协调小组召开会议。", ("区委全面依法治区委员会执法协调小组", "INSTITUTION")),
        # campaigns: a round, a prefix before a quoted name, 活动 after it, a dated inspection round
        ("配合第四轮中央生态环境保护督察。", ("第四轮中央生态环境保护督察", "CAMPAIGN")),
        ("组织开展冬季治安清查“百日行动”。", ("冬季治安清查“百日行动”", "CAMPAIGN")),
        ("联合开展“安全生产月”活动。", ("“安全生产月”活动", "CAMPAIGN")),
        ("县法院开展“利剑”集中执行行动。", ("“利剑”集中执行行动", "CAMPAIGN")),
        ("开展2025年度土地卫片执法督察。", ("2025年度土地卫片执法督察", "CAMPAIGN")),
        ("配合省第三轮生态环境保护督察反馈问题整改。", ("省第三轮生态环境保护督察", "CAMPAIGN")),
        ("依托2025年生态环境执法大练兵活动开展培训。", ("2025年生态环境执法大练兵活动", "CAMPAIGN")),
        # quoted names before a shared tail (等专项执法行动, 等主题宣传活动): each name is a campaign
        ("开展“碧水护航”“净土清源”等专项执法行动。", ("“碧水护航”", "CAMPAIGN")),
        ("开展“碧水护航”“净土清源”等专项执法行动。", ("“净土清源”", "CAMPAIGN")),
        # 公共 holds no boundary (共 is one: 全县共有…); a red header names its issuing body; the party's full name
        ("198个村（社区）公共法律服务点实现全覆盖。", ("村（社区）公共法律服务点", "INSTITUTION")),
        ("潞川县人民政府文件", ("潞川县人民政府", "INSTITUTION")),
        ("中国共产党青川县委员会", ("中国共产党青川县委员会", "INSTITUTION")),
        # straight double quotes, as typed or exported to plain text, are paired like curly ones
        ('全面完成"七五"普法规划确定的目标任务。', ('"七五"普法规划', "PLAN")),
        ('县市场监管局组织"铁拳2024"专项行动。', ('"铁拳2024"专项行动', "CAMPAIGN")),
        # 行为 holds no boundary (为 is one: 为群众…); a year-round inspection named by 年度; a rule document of a village
        ("推行涉企轻微违法行为免罚清单。", ("涉企轻微违法行为免罚清单", "PLAN")),
        ("县委依法治县办牵头开展年度法治政府建设督察。", ("年度法治政府建设督察", "CAMPAIGN")),
        ("柳塘村完善《柳塘村村规民约》。", ("《柳塘村村规民约》", "LAW")),
        ("制定《政府工作报告》重点工作任务分解方案。", ("《政府工作报告》重点工作任务分解方案", "PLAN")),
        ("省司法厅复议处办理行政复议案件。", ("省司法厅复议处", "INSTITUTION")),  # a department's division
        ("县人民法院长期坚持诉源治理。", ("县人民法院", "INSTITUTION")),  # 长期, not a president (院长)
        ("乡劳动保障所受理投诉。", ("乡劳动保障所", "INSTITUTION")),  # 保障 is a verb, but not in 劳动保障
        ("启动谋划“九五”普法规划。", ("“九五”普法规划", "PLAN")),  # 谋划 is a verb before a plan
    ],
)
def test_patterns_find_known_shapes(patterns, text, entity):
    assert entity in found(patterns, text)


@pytest.mark.parametrize(
    "text, not_entity",
    [
        ("推进法治政府建设。", "法治政府"),
        ("形成中央和省两级政府共同管理的体制。", "省两级政府"),  # two levels counted, one written
        ("区政府主要负责人带头述法。", "区政府"),
        ("各部门单位要加强协调。", "部门"),
        ("组织全县执法队伍开展培训。", "县执法队"),
        ("形成区域协调发展新格局。", "区域协调发展新格局"),  # 格局 is not a bureau (局)
        ("坚持党中央总揽全局、协调各方。", "党中央总揽全局"),
        ("规范发展区域性股权市场。", "发展区域性股"),  # 股权, not a section (股)
        ("充分激发科研人员积极性。", "充分激发科"),  # 科研, not a section (科)
        ("建设一流大学和一流学科。", "一流学科"),
        ("明确县级政府的责任。", "县级政府"),  # a level of government, not a body
        ("降低企业制度性交易成本。", "降低企业制度"),
        ("为贫困家庭学生免费提供教科书。", "免费提供教科"),  # 教科书
        ("全面落实计划生育家庭奖励扶助政策。", "全面落实计划"),  # 计划生育 is no plan
        ("牢牢扭住经济建设这个中心。", "经济建设这个中心"),
        ("黄岭镇司法所被评为“全省先进司法所”。", "全省先进司法所"),  # an honorific title
        ("贯彻中央、省、市关于法治建设的部署。", "中央"),  # one level in a list of levels
        ("开展“法律进校园”“法律进社区”系列活动。", "“法律进社区”系列活动"),  # the names only
        ("市级政务服务事项网上可办率达到95%。", "市级政务服务事项网上可办"),
        ("推出“跨省通办”事项120项。", "跨省通办"),
        ("通过乡政府公示栏公开执法信息。", "乡政府"),  # a notice board of the body
        ("市委、市政府主要负责同志带头述法。", "市委"),  # a party committee sharing its government's role
        ("区委区政府主要领导多次听取汇报。", "区委"),
        ("印发至市政府各工作部门。", "市政府"),
        ("年内审查县政府合同56份。", "审查县政府"),
        ("签发人：桐川县人民政府县长 王某", "桐川县人民政府"),
        ("局直各单位对照县直部门“八五”普法规划自查。", "县直部门“八五”普法规划"),  # a generic owner
        ("贯彻中央经济工作会议精神。", "中央"),  # a modifier of a meeting
        ("严格执行安全生产法律法规。", "安全生产法"),  # 法律, not the law
        ("“神舟”系列飞船试验成功。", "“神舟”"),  # a series of things, not of activities
        ("在县政府会议室召开听证会。", "县政府会议"),  # a venue
        ("对首次违法的经营主体适用免罚清单。", "适用免罚清单"),  # a verb before a plan
        ("压实“谁执法谁普法”普法责任制。", "压实“谁执法谁普法”普法责任制"),  # … and before a quoted name
        ("各社区党组织书记全部述法。", "社区党组"),  # 党组织 is no 党组
        ("部分嘎查调解委员会办公场所简陋。", "嘎查调解委员会办公场所"),  # 场所 is no 所
        ("在市民中心举办宪法宣誓仪式。", "市民中心"),  # a venue (guide §3)
        ("防止所谓“颠覆活动”。", "“颠覆活动”"),  # scare quotes
        ("城关派出所被评为全国“枫桥式”派出所。", "派出所"),  # the type word of an honorific title
        ("在县十七届人大二次会议上作报告。", "县十七届人大"),  # a session of a congress, not the body
        ("选取“城区停车治理三年行动”开展评估。", "选取“城区停车治理三年行动”"),  # a verb before a quoted name
        ("推行“双随机、一公开”等执法活动。", "“双随机、一公开”"),  # a way of working, not a campaign
        ("依托县政府门户网站主动公开政府信息。", "县政府门户网站主动公开政府"),  # 主动 ends a name
        ("以县政府文件印发实施。", "县政府"),  # a document of the body, in running text
        ("县公安局长带队检查。", "县公安局"),  # a person's title (局长, 所长, 厅长)
        ("镇司法所长参加调解。", "镇司法所"),
        ("公布《竹溪市物业管理办法》（市政府令第5号）。", "市政府"),  # a decree's number, not the body
        ("依法查处违法行为。", "依法查处"),  # 处 alone is no division
    ],
)
def test_patterns_skip_generic_or_qualifying_words(patterns, text, not_entity):
    assert not_entity not in [t for t, _ in found(patterns, text)]


@pytest.mark.parametrize(
    "text, entity",
    [
        ("新增兰江经济开发区管委会为执法主体。", ("兰江经济开发区管委会", "INSTITUTION")),  # 经 of 经济 is no boundary
        ("对高排放机动车进行专项整治。", ("专项整治", None)),  # a verb (进行) ends the name's walk: too short to tag
        ("把文化发展纳入一系列区域发展规划。", ("区域发展规划", "PLAN")),
        ("稳妥改革信访工作制度。", ("信访工作制度", "LAW")),  # 改革 ends a headed name
        ("成立区委全面深化改革委员会。", ("区委全面深化改革委员会", "INSTITUTION")),  # … but not an institution
        ("县自然资源局承办的复议案件。", ("县自然资源局", "INSTITUTION")),
        ("会同区市场监督管理局开展联合检查。", ("区市场监督管理局", "INSTITUTION")),  # a level word + a typed body
        ("指导8个村委会修订村规民约。", ("村委会", "INSTITUTION")),  # typed, in counted use
        ("中共白石县委召开专题会议。", ("中共白石县委", "INSTITUTION")),
        ("积极配合省、市人大常委会开展执法检查。", ("省、市人大常委会", "INSTITUTION")),  # a shared level
        ("印发县委理论学习中心组2024年学习计划。", ("县委理论学习中心组2024年学习计划", "PLAN")),  # named after its owner
        ("开展「法律进乡村」活动20场。", ("「法律进乡村」活动", "CAMPAIGN")),
        ("县公安局联合开展“净网护苗”联合执法行动。", ("“净网护苗”联合执法行动", "CAMPAIGN")),
        ("在县委县政府的坚强领导下。", ("县政府", "INSTITUTION")),  # two bodies written together
        ("在县委县政府的坚强领导下。", ("县委", "INSTITUTION")),
        ("市中级人民法院桂溪派出法庭开展巡回审判。", ("市中级人民法院桂溪派出法庭", "INSTITUTION")),  # body + sub-unit
        ("出台规范性文件“三统一”制度。", ("规范性文件“三统一”制度", "LAW")),  # 规范 is no boundary inside 规范性
        ("全面推行河长制、林长制。", ("林长制", "LAW")),
        ("会同县总工会开展维权活动。", ("县总工会", "INSTITUTION")),
        ("开展“百警进千家”大走访活动。", ("“百警进千家”大走访活动", "CAMPAIGN")),
        ("选取“背街小巷整治三年行动”开展评估。", ("“背街小巷整治三年行动”", "CAMPAIGN")),  # a quoted headed name
        ("深入开展清理拖欠农民工工资专项行动。", ("清理拖欠农民工工资专项行动", "CAMPAIGN")),  # 清理 opens the name
        ("区司法局与区融媒体中心合办普法栏目。", ("区融媒体中心", "INSTITUTION")),  # 合办 is not a 办
        ("区工商联会同区司法局开展法治体检。", ("区工商联", "INSTITUTION")),
        ("抽查县区分局案卷16卷。", ("县区分局", "INSTITUTION")),
        ("开展2024年度随机抽查工作计划编制。", ("2024年度随机抽查工作计划", "PLAN")),  # 抽查 stops institutions only
        ("旗林业和草原局联合旗公安局开展专项执法。", ("旗林业和草原局", "INSTITUTION")),
        ("锡林塔拉盟行政公署：", ("锡林塔拉盟行政公署", "INSTITUTION")),
        ("县医疗保障局追回医疗保障基金。", ("县医疗保障局", "INSTITUTION")),  # 保障 is a verb elsewhere
        ("中共枫陂县纪律检查委员会通报典型案例。", ("中共枫陂县纪律检查委员会", "INSTITUTION")),  # … and 检查
        ("县森林防灭火指挥部办公室设在县应急管理局。", ("县森林防灭火指挥部办公室", "INSTITUTION")),  # … and 指挥
        ("全面推行从轻处罚清单。", ("从轻处罚清单", "PLAN")),  # 从 ends a name, but not inside 从轻
        ("全县建成村（社区）人民调解委员会86个。", ("村（社区）人民调解委员会", "INSTITUTION")),
        ("新建村（社区）公共法律服务室40个。", ("村（社区）公共法律服务室", "INSTITUTION")),  # typed, past a qualifier
        ("大力推行行政规范性文件“三统一”制度。", ("行政规范性文件“三统一”制度", "LAW")),  # 7 characters before a quote
        ("开展打击欺诈骗取医疗保障基金专项行动。", ("打击欺诈骗取医疗保障基金专项行动", "CAMPAIGN")),
        ("石岭村党支部牵头调处纠纷。", ("石岭村党支部", "INSTITUTION")),
        ("会议审议通过全面依法治县委员会2025年工作要点。", ("全面依法治县委员会2025年工作要点", "PLAN")),  # 治|县
        ("依法治区办会议通报考核结果。", ("依法治区办会议", "INSTITUTION")),  # a body's standing meeting
        ("镇党委会议研究法治工作3次。", ("镇党委会议", "INSTITUTION")),
        ("开展“宪法进万家”“法律进工地”系列活动。", ("“宪法进万家”", "CAMPAIGN")),  # each name of a series
        ("市委组织部开展2024年度党政主要负责人述法评议。", ("2024年度党政主要负责人述法评议", "CAMPAIGN")),
        ("就道路交通安全法实施情况开展专题询问。", ("道路交通安全法", "LAW")),  # a law named without 《》
        ("推进部门数据共享责任清单全覆盖。", ("数据共享责任清单", "PLAN")),  # 共 ends a name, but not inside 共享
        ("改进和规范经济适用房制度。", ("经济适用房制度", "LAW")),  # 适用 ends a name, but not inside 经济适用房
        ("在“爱国卫生月”期间开展执法宣传。", ("“爱国卫生月”", "CAMPAIGN")),  # a quoted name ending in a campaign head
        ("乌兰嘎查调解委员会调处纠纷12件。", ("乌兰嘎查调解委员会", "INSTITUTION")),  # 嘎查 and 苏木 are levels
        ("区卫生健康综合监督执法大队检查医疗机构150家。", ("区卫生健康综合监督执法大队", "INSTITUTION")),
        ("配合完成2024年度土地例行督察。", ("2024年度土地例行督察", "CAMPAIGN")),  # a round named with a year
    ],
)
def test_patterns_stop_names_at_verbs_and_quantities_only(patterns, text, entity):
    name, label = entity
    tagged = found(patterns, text)
    if label is None:
        assert not any(name in t for t, _ in tagged)
    else:
        assert (name, label) in tagged


def test_patterns_find_names_across_the_line_breaks_of_a_wrapped_paragraph(patterns):
    text = "全年组织开展“清风护航”专项整\n治行动，成立某某区矛盾纠纷多元\n化解中心。"
    units = [(0, len(text))]
    tagged = [(text[m.start : m.end], m.label) for m in patterns.find_in_units(text, units)[0]]
    assert tagged == [("“清风护航”专项整\n治行动", "CAMPAIGN"), ("某某区矛盾纠纷多元\n化解中心", "INSTITUTION")]


def test_patterns_are_non_overlapping_and_offsets_exact(patterns, seed_text):
    matches = patterns.find(seed_text)
    for a, b in zip(matches, matches[1:]):
        assert a.end <= b.start
    assert all(m.end - m.start >= 2 for m in matches)


def test_patterns_on_units_match_patterns_per_unit(patterns, seed_text):
    """Scanning a document's units at once gives what scanning each unit alone gives."""
    from pipeline.structure import analyze

    units = [(u.start, u.end) for u in analyze(seed_text).units]
    at_once = patterns.find_in_units(seed_text, units)
    one_by_one = [[(start + m.start, start + m.end, m.label) for m in patterns.find(seed_text[start:end])]
                  for start, end in units]
    assert [[(m.start, m.end, m.label) for m in unit] for unit in at_once] == one_by_one
    assert sum(map(len, at_once)) > 50


@pytest.mark.parametrize("name, sentences, entities, floor", [
    # Its errors drove the third session's pattern fixes (micro-F1 0.855 before them): a regression guard.
    ("entity_probe.jsonl", 100, 133, 0.93),
    # Written after those fixes; scored 0.895 before its own errors drove a fourth revision: a regression guard.
    ("entity_probe_2.jsonl", 100, 179, 0.91),
    # Written after the fourth revision and never used to change anything: measured 0.880 (0.860 with the
    # patterns of the session's start), 0.902 after the sixth revision (probe 4 drove it), 0.913 after the seventh.
    ("entity_probe_3.jsonl", 100, 186, 0.88),
    # Written in the fourth session (autonomous areas, zones, vertical bodies); scored 0.776 before its own
    # errors drove a sixth revision (0.863 after): a regression guard.
    ("entity_probe_4.jsonl", 100, 203, 0.85),
    # Written in the fifth session (departments, mass bodies, qualifiers, typed bodies with level qualifiers);
    # scored 0.905 before its own errors drove a seventh revision (0.976 after): a regression guard.
    ("entity_probe_5.jsonl", 100, 224, 0.95),
    # Written after the seventh revision (other registers: courts, procuratorates, zones, provincial departments);
    # scored 0.905 before its own errors drove an eighth revision (0.945 after): a regression guard.
    ("entity_probe_6.jsonl", 100, 221, 0.93),
    # Written after the eighth revision (departments, autonomous areas, sub-units, flattened lists); scored 0.920
    # before its own errors drove a ninth revision (0.946 after): a regression guard.
    ("entity_probe_7.jsonl", 100, 228, 0.93),
    # Written in the eighth session (standing meetings, sub-units, committees, rounds, names cut by a line break);
    # scored 0.891 before its own errors drove a tenth revision (0.947 after): a regression guard.
    ("entity_probe_8.jsonl", 100, 208, 0.94),
    # Written in the tenth session (provincial departments and their divisions, straight quotes, person titles,
    # decrees, village rules); scored 0.920 before its own errors drove a thirteenth revision (0.968 after).
    ("entity_probe_9.jsonl", 100, 189, 0.96),
])
def test_patterns_on_the_hand_written_probe_sentences(patterns, name, sentences, entities, floor):
    """Sentences written and annotated by other annotators apart from the corpus (tests/data/)."""
    import json

    from tests.conftest import REPO

    gold, predicted = set(), set()
    rows = [json.loads(line) for line in (REPO / "tests" / "data" / name).read_text(encoding="utf-8").splitlines()]
    for n, row in enumerate(rows):
        position = 0
        for entity in row["entities"]:
            start = row["text"].index(entity["text"], position)
            position = start + len(entity["text"])
            gold.add((n, start, position, entity["label"]))
        text = row["text"]  # one unit, as the pipeline gives it (names may run across a line break)
        predicted |= {(n, m.start, m.end, m.label) for m in patterns.find_in_units(text, [(0, len(text))])[0]}
    true = len(gold & predicted)
    assert len(rows) == sentences and len(gold) == entities
    assert 2 * true / (len(gold) + len(predicted)) >= floor


def test_patterns_on_several_documents_match_patterns_per_document(patterns, seed_text):
    """Scanning the units of several documents in one pass gives what scanning each document alone gives,
    with offsets into each document's own text."""
    from pipeline.structure import analyze

    texts = [seed_text, "县司法局会同县市场监督管理局开展“清风护航”专项整治行动。", seed_text[: len(seed_text) // 2]]
    documents = [(text, [(u.start, u.end) for u in analyze(text).units], None) for text in texts]
    together = patterns.find_in_documents(documents)
    alone = [patterns.find_in_units(text, units) for text, units, _ in documents]
    assert together == alone
    assert [len(doc) for doc in together] == [len(units) for _, units, _ in documents]
    assert ("“清风护航”专项整治行动", "CAMPAIGN") in [(texts[1][m.start : m.end], m.label) for m in together[1][0]]
