"""The words of the bench_town data (``town.py``): names, places, agencies, what residents complain about
and what handlers and staff write back, and how often each comes up."""
from ..models import Case, CaseRating

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余于杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国玉兰志强红梅海燕国庆文斌晓东丽华小明建华德明卫东金凤美玲雪梅佳怡子涵浩然欣怡宇轩"
RES_PREFIX = ["罗店", "罗南", "罗溪", "美兰", "天平", "富锦", "金星", "东南", "罗新", "罗泾", "陆翔", "紫辰",
              "蓉亭", "镜泊", "远景", "罗阳", "宝欣", "星辰", "美罗", "绿地"]
VIL_PREFIX = ["光明", "联东", "联合", "张士", "毛家", "天平", "新陆", "北金", "束里", "东西", "杨巷", "王家", "沈家",
              "朱家"]
GROUP_NAMES = ["丁钱", "施杨", "七图", "北宅", "南宅", "西宅", "东宅", "中宅"]
PLACES = ["东门", "西门", "中心广场", "非机动车棚", "地下车库", "垃圾厢房", "健身苑点", "村口停车场", "充电棚", "河道步道"]
AGENCIES = [("police", "公安派出所"), ("urban_management", "城管中队"), ("fire", "消防救援站"),
            ("market_regulation", "市场监管所"), ("housing", "房管办")]
# How often each default category is filed (same order as DEFAULT_CATEGORIES).
CATEGORY_WEIGHTS = {"noise": 16, "illegal_construction": 5, "partitioned_flat": 4, "corridor_clutter": 14,
                    "garbage_sorting": 10, "leak": 9, "facade": 2, "parking": 15, "flying_wire": 8,
                    "tenant_dispute": 6, "other": 11}
DESCRIPTIONS = {
    "noise": ["楼上每天夜里11点以后还很吵，影响休息。", "隔壁装修早上7点就开始电钻，太早了。", "楼下饭店排风机噪音很大。"],
    "illegal_construction": ["顶楼有人在搭建阳光房。", "一楼住户把绿化围起来建了小屋。", "院子里新搭了彩钢板房。"],
    "partitioned_flat": ["这户好像隔成了好几间出租，进出人很多。", "房子被隔成很多小间群租。"],
    "corridor_clutter": ["楼道里堆了很多纸箱和旧家具，有消防隐患。", "消防通道被电动车和杂物堵住了。"],
    "garbage_sorting": ["垃圾厢房旁边每天有人乱扔垃圾。", "湿垃圾桶满了没人清运，气味很大。"],
    "leak": ["楼上卫生间漏水，我家天花板发霉。", "外墙渗水，下雨天墙面都是湿的。"],
    "facade": ["外墙瓷砖脱落，楼下有人经过很危险。", "阳台外墙的涂层一块块掉下来。"],
    "parking": ["小区门口车辆乱停，消防车进不来。", "有车长期占用消防通道。", "地库有僵尸车很久没动过。"],
    "flying_wire": ["有住户从楼上拉电线给电动车充电。", "车棚里私拉电线充电。"],
    "tenant_dispute": ["租客和房东因为押金吵起来了。", "合租的租客之间经常吵架。"],
    "other": ["路灯坏了好几天了。", "小区里有流浪狗，孩子害怕。", "健身器材坏了。"],
}
FIX_NOTES = ["已上门沟通，住户承诺整改。", "已清理完毕。", "已联系相关人员处理，现场已恢复。", "已安排维修，问题已解决。"]
VERIFY_NOTES = ["上门查看，已整改到位。", "现场核实，问题已解决。", "回访居民，情况属实已处理。"]
REJECT_NOTES = ["不属于居委受理范围，已告知反映人向相关部门反映。", "经核实情况不存在。"]

CHANNELS = [(Case.Channel.APP, 75), (Case.Channel.HOTLINE, 10), (Case.Channel.WALK_IN, 6), (Case.Channel.WECHAT, 4),
            (Case.Channel.PATROL, 5)]
SCORES = [(CaseRating.Score.SATISFIED, 78), (CaseRating.Score.BASIC, 15), (CaseRating.Score.UNSATISFIED, 7)]
