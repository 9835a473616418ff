#!/usr/bin/env python3
"""Builds eval/sh3d-dev.jsonl: judged queries over Debian's Sweet Home 3D catalog (820 assets).

Relevance was judged by reading the catalog's English names and categories (run with --list to see them)
and writing, per query, which names answer it: grade 2 = the thing asked for, grade 1 = an acceptable
near miss. Rules name objects, not query words, so synonyms and paraphrases ("couch", "somewhere to
sleep", "冰箱") are judged the same way as literal names. Run: python3 eval/build_sh3d_dev.py
"""
import json
import pathlib
import re
import sys
import zipfile

FURNITURE = pathlib.Path("/usr/share/sweethome3d/furniture")
OUT = pathlib.Path(__file__).resolve().parent / "sh3d-dev.jsonl"


def read_properties(data: bytes) -> dict:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    values, pending = {}, ""
    for raw in text.splitlines():
        line = raw.lstrip()
        if not pending and (not line or line[0] in "#!"):
            continue
        if len(line) - len(line.rstrip("\\")) & 1:
            pending += line[:-1]
            continue
        line, pending = pending + line, ""
        match = re.match(r"([^=:\s]+)\s*[=:]?\s*(.*)", line)
        if match:
            key, value = match.groups()
            values[key] = value.encode("latin-1", "backslashreplace").decode("unicode_escape")
    return values


def catalog():
    assets = []
    for path in sorted(FURNITURE.glob("*.sh3f")):
        with zipfile.ZipFile(path) as archive:
            props = read_properties(archive.read("PluginFurnitureCatalog.properties"))
        indices = sorted({int(k.split("#")[1]) for k in props if k.startswith("name#")})
        for n in indices:
            assets.append((f"sh3d-{path.stem}-{n}", props[f"name#{n}"].strip(), props.get(f"category#{n}", "").strip()))
    return assets


# (grade, name regex, category regex or None). Regexes are case-insensitive and anchored on the full name.
def R(grade, name, category=None):
    return (grade, re.compile(rf"^(?:{name})$", re.I), re.compile(rf"^(?:{category})$", re.I) if category else None)


SOFA = [R(2, r"sofa|couch|corner sofa|burlap sofa|clear sofa|winchester sofa|rattan sofa|sofa [23] seats|futon couch"),
        R(1, r"day bed|(opened )?convertible sofa bz|puff|armchair")]
ARMCHAIR = [R(2, r"(modern |rattan |winchester )?armchair"), R(1, r"armchair ottoman|relax chair|couch")]
CHAIR = [R(2, r"chair|chair with cushion|oak chair|osaka chair|ryokan chair|plastic chair|folding chair|teck chair|cafe chair|bar chair|children chair|child chair"),
         R(1, r"(modern |rattan |winchester )?armchair|stool|bar stool|class seat|baby high chair|deck chair|beach chair|relax chair|bench")]
BED = [R(2, r"bed|iron bed|bunk bed|double bed|captain's bed|child bed|baby bed|crib|mezzanine bed|hospital bed|futon"),
       R(1, r"day bed|(opened )?convertible sofa bz|air mattress|sleeping bag|hammock|futon couch")]
TABLE = [R(2, r"table|black table|glass table|oak table|round table|coffee table|bar table|cafe table|folding table|rattan table|table with tablecloth|table on trestles|wooden (alder |teak )?table|children table|technical table"),
         R(1, r"desk|desk table|wooden desk|bedside table|dressing table|changing table")]
DESK = [R(2, r"desk|desk table|wooden desk"), R(1, r"technical table|wooden (alder |teak )?table|class seat")]
LAMP = [R(2, r"lamp|desk lamp|little lamp|ceiling lamp|pendant lamp|hanging light|chandelier lamp|wall light|wall lamp artwork|pedestal vase lamp|outdoor lamp|camping lamp|japanese lantern|track lights|wall spotlight|fluorescent (light|strip)|porch light"),
        R(1, r"street lamp|street light|park light|classic lamppost|candle|flashlight|stone lantern")]
FRIDGE = [R(2, r"fridge|large fridge|refrigerator"), R(1, r"chest freezer")]
TOILET = [R(2, r"toilets unit"), R(1, r"urinal|potty|bidet|toilet brush|toilet paper dispenser")]
WASHBASIN = [R(2, r"washbasin|basin|small lavatory|vanity|double vanity"), R(1, r"sink|sink cabinet")]
BATH = [R(2, r"bath|corner bathtub|island bath"), R(1, r"jacuzzi|shower stall")]
WARDROBE = [R(2, r"wardrobe|cupboard"), R(1, r"clothes rack|hanging clothes|chest|dresser with drawers|drawers cabinet")]
BOOKCASE = [R(2, r"bookcase|full bookcase"), R(1, r"shelves|vertical shelves|upper shelves cabinet")]
CAR = [R(2, r"chevrolet|ford focus|peugeot 308 cc|renault scenic|seat leon|smart car|suv|vw new beetle|concept sedan 0[12]( sport)?|van"),
       R(1, r"truck|bus|city bus|car model|fork lift")]
BIKE = [R(2, r"bicycle|bike"), R(1, r"indoor bike|tricycle|scooter|motorbike|yamaha yzr r6")]
MOTORBIKE = [R(2, r"yamaha yzr r6|scooter|motorbike"), R(1, r"bicycle|bike")]
TREE = [R(2, r"acacia|bended coconut tree|coconut tree|palm tree|copper beech|cypress|japanese maple|peach blossom|pine|pine under snow|blue pine under snow|poplar|sycamore maple|christmas tree"),
        R(1, r"bonsai tree|bamboo|bush|hedge|high hedge|ficus|yucca")]
PLANT = [R(2, r"plant|decorative plant|indoor plant|little plant|plant box|spider plant|succulent plant|spathiphyllum|cactus|bonsai tree|ficus|yucca|orchids|tulips|white lily|flowers|flower box|bamboo"),
         R(1, r"bush|hedge|high hedge|acacia|palm tree")]
DOOR = [R(2, r"door|double door|double door with panes|exterior door|glass door|garage door|screen door|elevator door"), R(1, r"shower door|double window with large pane")]
WINDOW = [R(2, r".*window.*"), R(1, r"window blind|window shutter|.*french window.*")]
TV = [R(2, r"tv|tv 16:9|wall flat tv"), R(1, r"tv stand|television cabinet|tv remote control|video projector|contemporary living room")]
OVEN = [R(2, r"oven|double oven|small oven|microwave"), R(1, r"cooker|cooktop|stove|large stove|induction cooker [24] zones|toaster|propane stove")]
STOVE = [R(2, r"cooker|cooktop|stove|large stove|induction cooker [24] zones"), R(1, r"oven|double oven|propane stove|stone grill device|hood|range hood")]
COFFEE_MACHINE = [R(2, r"coffee machine|coffee maker|coffee brewer|espresso kettle|coffee press"), R(1, r"coffee cup|coffee mug|blender|mixer|kettle")]
WASHING = [R(2, r"(clothes )?washing machine"), R(1, r"dryer machine")]
PIANO = [R(2, r"grand piano|upright piano"), R(1, r"keyboard|piano bench|xylophone|electric guitar")]
STAIRS = [R(2, r"spiral staircase|escalator"), R(1, r"elevator|step ladder|small step ladder")]
PERSON = [R(2, r"(holding |lying down |sitting |mannequin )?(male|female|boy|girl)"), R(1, r"doll")]
DOG = [R(2, r"dog|bulldog"), R(1, r"dog house")]
CAT = [R(2, r"cat|siamese cat")]
SWITCH = [R(2, r"(rounded|square|wall) (double |dimmer )?switch")]
PLUG = [R(2, r"(rounded|square|wall) (type [a-g]|rj45|antenna) plug|wall (double )?socket")]
POOL = [R(2, r"(rectangle |round )?swimming pool"), R(1, r"diving board|pool lounge|jacuzzi")]
STOOL = [R(2, r"stool|bar stool"), R(1, r"bar chair|bench|piano bench")]
BENCH = [R(2, r"bench|concrete bench|painted bench|wood bank|little bank|piano bench|abdominal bench"), R(1, r"stool")]
TRASH = [R(2, r"dustbin|bullet trash can|park trashcan|residential trashcan|recycling bin")]
RADIATOR = [R(2, r"radiator"), R(1, r"furnace|boiler|electric water heater|gaz water heater")]
KNIFE = [R(2, r"knife|kitchen knife"), R(1, r"knife stand|fork|spoon|plate, glasses? and cutlery")]
GLASS = [R(2, r"glass|beer glass|cocktail glass|plastic cup"), R(1, r"cup|coffee cup|coffee mug|wine bottle")]
BOTTLE = [R(2, r"bottle|beer bottle|wine bottle|baby bottle|yogurt bottle|medicine bottle|spray bottle"), R(1, r"milk|flacon|oil servers")]
CABINET = [R(2, r"(small )?(lower|upper) (corner )?cabinet|upper shelves cabinet|high cabinet|glass door cabinet|drawers cabinet|filing cabinet|sink cabinet|tv stand|television cabinet"),
           R(1, r"cupboard|wardrobe|island|island extension|dresser with drawers")]
CHILD = [R(2, r"child bed|baby bed|crib|bunk bed|child chair|children chair|children table|baby high chair|child swing|child hut|children game|rocking horse|teddy bear|doll|doll house|toy train|wood toy|stroller|tricycle|potty|changing table"),
         R(1, r"sandpit|seesaw|trampoline|puzzle|xylophone|car model")]
OUTDOOR_SEAT = [R(2, r"beach chair|deck chair|relax chair|pool lounge|bench|concrete bench|painted bench|wood bank|little bank|cafe chair|teck chair|rattan (armchair|sofa)|hammock"),
                R(1, r"folding chair|chair", "Exterior")]
SPORT = [R(2, r"basketball( net)?|soccer ball|football goal|football table|tennis racket|table tennis( bat)?|treadmill|indoor bike|punching ball|abdominal bench|fitness tower|skateboard"),
         R(1, r"pool table|diving board|trampoline|dart game")]
CLOTHES = [R(2, r"dress|skirt|trousers|short|suit|jacket|folded clothes|hanging clothes|cap|hat"), R(1, r"woman shoes|sneakers|mocassin|bootie|slippers|glove|clothes rack|clothes hanger|wire coathanger")]
SHOES = [R(2, r"woman shoes|sneakers|mocassin|bootie|slippers")]
PHONE = [R(2, r"phone|mobile phone|wireless phone|apple iphone"), R(1, r"intercom( with screen)?|tablet")]
COMPUTER = [R(2, r"laptop|apple ibook|apple imac (1998|2004)|tablet"), R(1, r"inkjet printer and scanner|keyboard")]
TRUCK = [R(2, r"truck"), R(1, r"van|fork lift|bus|city bus")]
FAN = [R(2, r"ceiling fan|table fan|rigged fan"), R(1, r"air conditioning - (internal|external) unit")]
MIRROR_DRESSER = [R(2, r"dressing table|dresser with drawers"), R(1, r"vanity|double vanity")]
FIREPLACE = [R(2, r"fireplace"), R(1, r"chimney|round chimney|furnace|wood logs")]
FOOD = [R(2, r"apples|birthday cake|bread|butter|cup cake|french fries|hamburger|hot dog|roasted chicken|steak|bowl with (fruits|salad)|milk"), R(1, r"sushi tray|yogurt bottle|sugar")]
TOOLS = [R(2, r"drill|hammer|saw|screwdriver|cutting pliers|shovel|tape measure|grinder|tool"), R(1, r"workbench|wheelbarrow|mower|step ladder|small step ladder|kitchen tools")]
SIGN = [R(2, r"arrow .*|emergency sign|pedestrian crossing|rail crossing|cone"), R(1, r"parking slot.*")]
RUG = [R(2, r"oriental rug|round carpet|bathmat|doormat"), R(1, r"tatami")]
SHOWER = [R(2, r"shower (stall|door|curtain|head and faucet)"), R(1, r"bath|corner bathtub|island bath")]
CLOCK = [R(2, r"clock|cuckoo clock|watch"), R(1, r"calendar")]
CURTAIN = [R(2, r"curtain|window blind|window shutter|shower curtain")]
GARDEN = [R(2, r"garden hut|garden faucet|hose reel|umbrella|flower box|fountain|mower|wheelbarrow|plant box"), R(1, r"bush|hedge|high hedge|dog house|letters box|mailbox")]
PARKING = [R(2, r"parking slot.*")]
SPEAKER = [R(2, r"speaker|stereo amplifier|mini stereo|mp3 (base|station)|radio"), R(1, r"headphones|dvd player")]
MONEY = [R(2, r"bill (10|20|50)€")]
KITCHEN_APPLIANCE = [R(2, r"fridge|large fridge|refrigerator|chest freezer|microwave|oven|double oven|small oven|cooker|cooktop|stove|large stove|induction cooker [24] zones|toaster|blender|mixer|coffee (machine|maker|brewer)|deep fryer|sandwich maker|hood|range hood|(clothes )?washing machine|dryer machine|kitchen scale|squeezer"),
                     R(1, r"espresso kettle|coffee press|electronic scale|boiler")]
SINK = [R(2, r"sink|sink cabinet"), R(1, r"washbasin|basin|small lavatory|vanity|double vanity")]

EN = [
    ("armchair", ARMCHAIR), ("sofa", SOFA), ("couch", SOFA), ("settee for the living room", SOFA),
    ("chair", CHAIR), ("wooden chair", [R(2, r"oak chair|teck chair|chair", None), R(1, r"ryokan chair|osaka chair|class seat")]),
    ("folding chair", [R(2, r"folding chair"), R(1, r"deck chair|beach chair|plastic chair")]),
    ("office chair", [R(2, r"chair", "Office"), R(1, r"armchair", "Office")]), ("bar stool", STOOL), ("stool", STOOL),
    ("bench", BENCH), ("park bench", [R(2, r"bench|concrete bench|painted bench|wood bank|little bank", None), R(1, r"piano bench")]),
    ("bed", BED), ("double bed", [R(2, r"bed|iron bed|captain's bed|futon", "Bedroom"), R(1, r"bunk bed|mezzanine bed|day bed")]),
    ("bunk bed", [R(2, r"bunk bed"), R(1, r"mezzanine bed|captain's bed")]), ("cot for a baby", [R(2, r"crib|baby bed"), R(1, r"child bed|changing table")]),
    ("somewhere to sleep", BED), ("mattress", [R(2, r"air mattress|futon|tatami"), R(1, r"bed|sleeping bag")]),
    ("table", TABLE), ("dining table", [R(2, r"table|round table|oak table|glass table|table with tablecloth|black table|wooden (alder |teak )?table"), R(1, r"bar table|cafe table|folding table|coffee table")]),
    ("coffee table", [R(2, r"coffee table"), R(1, r"glass table|round table")]), ("glass table", [R(2, r"glass table"), R(1, r"coffee table")]),
    ("round table", [R(2, r"round table"), R(1, r"cafe table|coffee table")]), ("desk", DESK), ("writing desk", DESK),
    ("bedside table", [R(2, r"bedside table"), R(1, r"drawers cabinet|dresser with drawers")]), ("nightstand", [R(2, r"bedside table"), R(1, r"drawers cabinet")]),
    ("wardrobe", WARDROBE), ("closet for clothes", WARDROBE), ("bookcase", BOOKCASE), ("bookshelf", BOOKCASE), ("shelves", BOOKCASE),
    ("kitchen cabinet", CABINET), ("cupboard", [R(2, r"cupboard|glass door cabinet|(small )?(lower|upper) (corner )?cabinet|upper shelves cabinet|high cabinet"), R(1, r"wardrobe|drawers cabinet")]),
    ("chest of drawers", [R(2, r"drawers cabinet|dresser with drawers"), R(1, r"chest|bedside table|filing cabinet")]),
    ("tv stand", [R(2, r"tv stand|television cabinet"), R(1, r"contemporary living room")]), ("television", TV), ("tv", TV),
    ("lamp", LAMP), ("desk lamp", [R(2, r"desk lamp|little lamp|lamp"), R(1, r"pedestal vase lamp")]), ("ceiling light", [R(2, r"ceiling lamp|pendant lamp|hanging light|chandelier lamp|track lights|fluorescent (light|strip)"), R(1, r"ceiling fan")]),
    ("chandelier", [R(2, r"chandelier lamp"), R(1, r"pendant lamp|hanging light|ceiling lamp")]), ("street light", [R(2, r"street lamp|street light|classic lamppost|park light"), R(1, r"porch light|outdoor lamp")]),
    ("wall lamp", [R(2, r"wall light|wall lamp artwork|wall spotlight"), R(1, r"porch light")]), ("candle", [R(2, r"candle"), R(1, r"japanese lantern|stone lantern")]),
    ("fridge", FRIDGE), ("refrigerator", FRIDGE), ("freezer", [R(2, r"chest freezer"), R(1, r"fridge|large fridge|refrigerator")]),
    ("oven", OVEN), ("microwave oven", [R(2, r"microwave"), R(1, r"small oven|oven")]), ("stove", STOVE), ("hob", STOVE),
    ("cooker hood", [R(2, r"hood|range hood")]), ("kitchen appliance", KITCHEN_APPLIANCE), ("coffee machine", COFFEE_MACHINE),
    ("toaster", [R(2, r"toaster"), R(1, r"sandwich maker")]), ("washing machine", WASHING), ("sink", SINK), ("kitchen sink", [R(2, r"sink|sink cabinet"), R(1, r"washbasin")]),
    ("washbasin", WASHBASIN), ("bathroom sink", WASHBASIN), ("toilet", TOILET), ("wc", TOILET), ("bathtub", BATH), ("bath", BATH),
    ("shower", SHOWER), ("towel", [R(2, r"towel|towel rack"), R(1, r"bathmat|paper towel holder")]), ("mirror and make-up table", MIRROR_DRESSER),
    ("radiator", RADIATOR), ("heater", [R(2, r"radiator|electric water heater|gaz water heater"), R(1, r"furnace|boiler|fireplace")]), ("fireplace", FIREPLACE),
    ("fan", FAN), ("air conditioner", [R(2, r"air conditioning - (internal|external) unit"), R(1, r"ceiling fan|table fan")]),
    ("piano", PIANO), ("musical instrument", [R(2, r"grand piano|upright piano|electric guitar|xylophone|keyboard"), R(1, r"piano bench")]), ("guitar", [R(2, r"electric guitar")]),
    ("car", CAR), ("automobile", CAR), ("bicycle", BIKE), ("bike", BIKE), ("motorcycle", MOTORBIKE), ("truck", TRUCK), ("bus", [R(2, r"bus|city bus"), R(1, r"truck|van")]),
    ("tree", TREE), ("palm tree", [R(2, r"palm tree|coconut tree|bended coconut tree"), R(1, r"yucca")]), ("pine tree", [R(2, r"pine|pine under snow|blue pine under snow"), R(1, r"cypress")]),
    ("house plant", PLANT), ("flowers", [R(2, r"flowers|tulips|white lily|orchids|flower box|peach blossom"), R(1, r"vase")]), ("vase", [R(2, r"vase"), R(1, r"flowers|pedestal vase lamp|old jar|pottery")]),
    ("door", DOOR), ("garage door", [R(2, r"garage door"), R(1, r"exterior door")]), ("window", WINDOW), ("french window", [R(2, r".*french window.*"), R(1, r"double window.*")]),
    ("stairs", STAIRS), ("elevator", [R(2, r"elevator|elevator door"), R(1, r"escalator")]),
    ("man", [R(2, r"(holding |lying down |sitting |mannequin )?(male|boy)"), R(1, r"(holding |lying down |sitting |mannequin )?(female|girl)")]),
    ("woman", [R(2, r"(holding |lying down |sitting |mannequin )?(female|girl)"), R(1, r"(holding |lying down |sitting |mannequin )?(male|boy)")]),
    ("person sitting", [R(2, r"sitting (male|female|boy|girl)"), R(1, r"lying down (male|female|boy)")]), ("dog", DOG), ("cat", CAT), ("horse", [R(2, r"horse"), R(1, r"rocking horse")]),
    ("animal", [R(2, r"dog|bulldog|cat|siamese cat|horse|rabbit|chicken|deer"), R(1, r"aquarium|dog house|rocking horse|teddy bear")]),
    ("light switch", SWITCH), ("power socket", PLUG), ("electrical outlet", PLUG), ("swimming pool", POOL),
    ("trash can", TRASH), ("rubbish bin", TRASH), ("kitchen knife", KNIFE), ("cutlery", [R(2, r"fork|spoon|knife|kitchen knife|plate, glasses? and cutlery"), R(1, r"knife stand|utensils pot")]),
    ("drinking glass", GLASS), ("bottle", BOTTLE), ("cup", [R(2, r"cup|coffee cup|coffee mug|plastic cup|creamer"), R(1, r"glass|cocktail glass|teapot|sugar")]),
    ("plate", [R(2, r"plate|oval plate|plate, glasses? and cutlery"), R(1, r"bowl|tray|sushi tray")]), ("food", FOOD), ("fruit", [R(2, r"apples|bowl with fruits"), R(1, r"bowl with salad")]),
    ("things for children", CHILD), ("toy", [R(2, r"teddy bear|doll|doll house|toy train|wood toy|rocking horse|puzzle|rubik's cube|car model|biplane|xylophone|card game|chessboard"), R(1, r"joystick|playstation|skateboard|tricycle")]),
    ("playground", [R(2, r"child swing|children game|seesaw|sandpit|trampoline|child hut"), R(1, r"basketball net|football goal")]),
    ("outdoor seating", OUTDOOR_SEAT), ("sports equipment", SPORT), ("fitness machine", [R(2, r"treadmill|indoor bike|fitness tower|abdominal bench"), R(1, r"punching ball")]),
    ("clothes", CLOTHES), ("shoes", SHOES), ("telephone", PHONE), ("computer", COMPUTER), ("printer", [R(2, r"inkjet printer and scanner")]),
    ("clock", CLOCK), ("curtains", CURTAIN), ("rug", RUG), ("carpet", RUG), ("garden", GARDEN), ("parking space", PARKING), ("road sign", SIGN),
    ("hand tools", TOOLS), ("loudspeaker", SPEAKER), ("banknote", MONEY), ("suitcase", [R(2, r"suitcase|briefcase"), R(1, r"backpack|handbag")]),
    ("umbrella", [R(2, r"umbrella")]), ("camera", [R(2, r"camera|reflex camera"), R(1, r"surveillance camera|cctv")]),
    ("security camera", [R(2, r"surveillance camera|cctv"), R(1, r"camera|reflex camera|intercom with screen")]), ("fire extinguisher", [R(2, r"extinguisher"), R(1, r"fire hydrant|smoke detector")]),
    ("boat", [R(2, r"rowboat")]), ("aeroplane", [R(2, r"biplane")]), ("wheelchair", [R(2, r"wheelchair"), R(1, r"hospital bed")]),
    ("ladder", [R(2, r"step ladder|small step ladder"), R(1, r"spiral staircase")]), ("tent", [R(2, r"camping tent"), R(1, r"child hut|garden hut")]),
]

ZH = [
    ("扶手椅", ARMCHAIR), ("沙发", SOFA), ("沙發", SOFA), ("椅子", CHAIR), ("办公椅", [R(2, r"chair", "Office"), R(1, r"armchair", "Office")]),
    ("凳子", STOOL), ("长凳", BENCH), ("床", BED), ("双人床", [R(2, r"bed|iron bed|captain's bed|futon", "Bedroom"), R(1, r"bunk bed|mezzanine bed|day bed")]),
    ("婴儿床", [R(2, r"crib|baby bed"), R(1, r"child bed|changing table")]), ("睡觉的地方", BED), ("桌子", TABLE), ("咖啡桌", [R(2, r"coffee table"), R(1, r"glass table|round table")]),
    ("圆桌", [R(2, r"round table"), R(1, r"cafe table|coffee table")]), ("书桌", DESK), ("床头柜", [R(2, r"bedside table"), R(1, r"drawers cabinet|dresser with drawers")]),
    ("衣柜", WARDROBE), ("书架", BOOKCASE), ("橱柜", CABINET), ("电视", TV), ("电视柜", [R(2, r"tv stand|television cabinet"), R(1, r"contemporary living room")]),
    ("台灯", [R(2, r"desk lamp|little lamp|lamp"), R(1, r"pedestal vase lamp")]), ("灯", LAMP), ("吊灯", [R(2, r"pendant lamp|hanging light|chandelier lamp"), R(1, r"ceiling lamp")]),
    ("路灯", [R(2, r"street lamp|street light|classic lamppost|park light"), R(1, r"porch light|outdoor lamp")]), ("冰箱", FRIDGE), ("烤箱", OVEN),
    ("微波炉", [R(2, r"microwave"), R(1, r"small oven|oven")]), ("炉灶", STOVE), ("厨房电器", KITCHEN_APPLIANCE), ("咖啡机", COFFEE_MACHINE), ("洗衣机", WASHING),
    ("水槽", SINK), ("洗脸盆", WASHBASIN), ("马桶", TOILET), ("厕所", TOILET), ("浴缸", BATH), ("淋浴", SHOWER), ("暖气", RADIATOR), ("壁炉", FIREPLACE),
    ("风扇", FAN), ("钢琴", PIANO), ("乐器", [R(2, r"grand piano|upright piano|electric guitar|xylophone|keyboard"), R(1, r"piano bench")]), ("汽车", CAR), ("自行车", BIKE),
    ("摩托车", MOTORBIKE), ("卡车", TRUCK), ("树", TREE), ("树木", TREE), ("植物", PLANT), ("花", [R(2, r"flowers|tulips|white lily|orchids|flower box|peach blossom"), R(1, r"vase")]),
    ("门", DOOR), ("窗户", WINDOW), ("楼梯", STAIRS), ("男人", [R(2, r"(holding |lying down |sitting |mannequin )?(male|boy)"), R(1, r"(holding |lying down |sitting |mannequin )?(female|girl)")]),
    ("女人", [R(2, r"(holding |lying down |sitting |mannequin )?(female|girl)"), R(1, r"(holding |lying down |sitting |mannequin )?(male|boy)")]), ("狗", DOG), ("猫", CAT),
    ("开关", SWITCH), ("插座", PLUG), ("游泳池", POOL), ("垃圾桶", TRASH), ("刀", KNIFE), ("杯子", [R(2, r"cup|coffee cup|coffee mug|plastic cup|creamer|glass|beer glass|cocktail glass"), R(1, r"teapot|sugar")]),
    ("瓶子", BOTTLE), ("食物", FOOD), ("玩具", [R(2, r"teddy bear|doll|doll house|toy train|wood toy|rocking horse|puzzle|rubik's cube|car model|biplane|xylophone|card game|chessboard"), R(1, r"joystick|playstation|skateboard|tricycle")]),
    ("儿童家具", [R(2, r"child bed|baby bed|crib|bunk bed|child chair|children chair|children table|baby high chair|changing table"), R(1, r"rocking horse|doll house|potty")]),
    ("户外座椅", OUTDOOR_SEAT), ("运动器材", SPORT), ("衣服", CLOTHES), ("鞋子", SHOES), ("电话", PHONE), ("电脑", COMPUTER), ("钟表", CLOCK), ("窗帘", CURTAIN),
    ("地毯", RUG), ("工具", TOOLS), ("音箱", SPEAKER), ("停车位", PARKING), ("雨伞", [R(2, r"umbrella")]), ("照相机", [R(2, r"camera|reflex camera"), R(1, r"surveillance camera|cctv")]),
]


def judge(assets, rules):
    relevant = {}
    for asset_id, name, category in assets:
        for grade, name_re, category_re in rules:
            if name_re.match(name) and (category_re is None or category_re.match(category)):
                relevant[asset_id] = max(grade, relevant.get(asset_id, 0))
    return relevant


def main():
    assets = catalog()
    if "--list" in sys.argv:
        for asset_id, name, category in assets:
            print(f"{asset_id}\t{name}\t{category}")
        return
    lines, empty = [], []
    for lang, queries in (("en", EN), ("zh", ZH)):
        for number, (text, rules) in enumerate(queries, 1):
            relevant = judge(assets, rules)
            if not any(g == 2 for g in relevant.values()):
                empty.append(text)
            lines.append({"qid": f"{lang}-{number:03d}", "text": text, "lang": lang, "relevant": dict(sorted(relevant.items()))})
    if empty:
        sys.exit(f"queries without a grade-2 answer: {empty}")
    OUT.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    print(f"{OUT.name}: {sum(1 for l in lines if l['lang'] == 'en')} English and {sum(1 for l in lines if l['lang'] == 'zh')} Chinese queries, "
          f"{sum(len(l['relevant']) for l in lines)} judgements over {len(assets)} assets")


if __name__ == "__main__":
    main()
