"""Industry and descriptor words of Chinese company names, with the English words exporters use.

A vocabulary table, not a list of companies: each Chinese descriptor maps to the English words
(singular, lower case, abbreviations written out) that stand for it in official English names.
"""

from __future__ import annotations

from functools import lru_cache

from matcher.normalize import ABBREVIATIONS, stem

# 中文 descriptor, then "|"-separated English renderings (each may be several words).
_TABLE = """
科技 technology|tech|science technology|science and technology|sci-tech|scitech
技术 technology|tech
高科技 high technology|hi-tech|high tech|hitech|high-tech
高新技术 high technology|hi-tech|high tech|new technology|high-tech
电子 electronic|electronics|electron|elec
电子科技 electronic technology|electronics technology|electronic|technology
电器 electrical appliance|electric appliance|appliance|electrical|electric
电气 electric|electrical
电机 electric machinery|motor|electric
电力 power|electric power|electricity
电池 battery|cell
电源 power supply|power|power source
电缆 cable
电线 wire|cable
电线电缆 wire cable|cable
光电 optoelectronic|opto-electronic|photoelectric|optoelectronics|optical electronic|opto
光学 optical|optic|optics
光电子 optoelectronic|optoelectronics
照明 lighting|light
灯饰 lighting|lamp|light
半导体 semiconductor
微电子 microelectronic|micro electronic
集成电路 integrated circuit|ic
电路 circuit
线路板 circuit board|pcb
电路板 circuit board|pcb
通讯 communication|telecom|telecommunication
通信 communication|telecom|telecommunication
通讯设备 communication equipment|communication
通信设备 communication equipment|communication
网络 network|net
信息 information|info
信息技术 information technology|it|info tech
软件 software|soft
数码 digital
数字 digital
智能 intelligent|smart|intelligence
智能科技 intelligent technology|smart technology
智造 intelligent manufacturing|smart manufacturing|manufacturing
自动化 automation|automatic
机器人 robot|robotic|robotics
精密 precision|precise
模具 mould|mold|die
精密模具 precision mould|precision mold|mould|mold
塑胶 plastic|plastics|rubber plastic
塑料 plastic
塑胶制品 plastic product|plastic
塑业 plastic|plastic industry
五金 hardware|metal
金属 metal
制品 product|products|ware
产品 product
用品 product|supply|ware
实业 industrial|industry|enterprise
工业 industrial|industry
产业 industry|industrial
企业 enterprise
新能源 new energy|renewable energy|energy
能源 energy|power
动力 power|dynamic|motive
锂电 lithium battery|lithium|li-ion
锂能 lithium energy|lithium
储能 energy storage|storage
材料 material
新材料 new material|advanced material|material
化工 chemical|chemical industry|chemistry
化学 chemical|chemistry
化学品 chemical
生物 biological|biology|bio|biotech|biotechnology
生物科技 biotechnology|biological technology|bio-tech|biotech|bio technology|bioscience
生物技术 biotechnology|biological technology|biotech
医药 pharmaceutical|pharma|medicine|medical
制药 pharmaceutical|pharma|pharmaceutical manufacturing
药业 pharmaceutical|pharma|medicine
生化 biochemical|biochemistry|biopharmaceutical
医疗 medical|healthcare|medical care
医疗器械 medical device|medical instrument|medical equipment|medical
器械 instrument|equipment|device|apparatus
健康 health|healthcare|healthy
食品 food|foodstuff
饮料 beverage|drink
乳业 dairy
酒业 wine|liquor|spirit
酿酒 brewery|wine|liquor
啤酒 beer|brewery
农业 agriculture|agricultural|agri
农牧 agriculture animal husbandry|agriculture|husbandry
牧业 animal husbandry|husbandry|livestock
畜牧 animal husbandry|husbandry|livestock
种业 seed|seed industry|seeds
渔业 fishery|fishing
林业 forestry
肥业 fertilizer|fertiliser
化肥 fertilizer|fertiliser
饲料 feed|forage
纺织 textile
服饰 garment|apparel|fashion|clothing
服装 garment|apparel|clothing|fashion
针织 knitting|knit|knitwear
印染 printing dyeing|dyeing
家居 home|home furnishing|furniture|household
家具 furniture
家电 home appliance|household appliance|appliance
厨具 kitchenware|kitchen
卫浴 sanitary ware|bath|bathroom|kitchen bath
洁具 sanitary ware|sanitary
陶瓷 ceramic|ceramics
玻璃 glass
建材 building material|construction material
建设 construction|development
建筑 construction|architecture|building
建工 construction engineering|construction
工程 engineering|project
装饰 decoration|decorative
装备 equipment|machinery
设备 equipment|device
机械 machinery|machine|mechanical
机电 electromechanical|mechanical electrical|electric machinery|mechatronic
重工 heavy industry|heavy machinery|heavy
汽车 automobile|automotive|auto|motor|vehicle|car
汽车电子 automotive electronic|auto electronic
汽车部件 auto part|automotive part|automobile part|auto component
汽配 auto part|automotive part
零部件 part|component|parts
部件 part|component
配件 accessory|part|fitting
轮胎 tyre|tire
摩托 motorcycle|motor
车业 vehicle|automobile
船舶 ship|shipbuilding|marine
航空 aviation|aerospace|airline|air
航天 aerospace|space
物流 logistic|logistics
运输 transport|transportation
交通 transportation|traffic|transport
港口 port
港 port|harbour|harbor
港务 port
航运 shipping
海运 shipping|marine
供应链 supply chain
贸易 trading|trade
商贸 trading|commerce|trade
进出口 import export|imp exp|import and export
国际 international|intl
国际贸易 international trading|international trade
商业 commercial|commerce|business
百货 department store|store
零售 retail
控股 holding|holdings|hldgs
集团 group|grp
投资 investment|invest
发展 development|develop
开发 development|develop
实业投资 industrial investment|investment
资产 asset
资本 capital
金融 financial|finance
银行 bank|banking
农村商业银行 rural commercial bank
商业银行 commercial bank
证券 securities|security
保险 insurance
信托 trust
租赁 leasing|lease
担保 guarantee
地产 real estate|property|estate
房地产 real estate|property|estate
置业 property|real estate|estate
物业 property|property management
酒店 hotel
旅游 tourism|travel|tour
文化 culture|cultural
传媒 media
文化传媒 culture media|media
影视 film|film television|pictures|movie
教育 education|educational
环保 environmental protection|environment|environmental|eco
环境 environment|environmental
水务 water|water affair|water service
燃气 gas
能源化工 energy chemical
石油 petroleum|oil
石化 petrochemical
煤业 coal|coal industry
煤炭 coal
矿业 mining|mine|mineral
钢铁 steel|iron steel
特钢 special steel|steel
钢 steel
铝业 aluminum|aluminium
铜业 copper
有色 nonferrous|non-ferrous
有色金属 nonferrous metal|non-ferrous metal
黄金 gold
稀土 rare earth
电缆材料 cable material
光伏 photovoltaic|pv|solar
太阳能 solar|solar energy
风电 wind power|wind energy
电网 power grid|grid
水电 hydropower|hydroelectric|hydro power
热电 thermal power|thermoelectric
环境科技 environmental technology
检测 testing|inspection|detection
仪器 instrument|apparatus
仪表 instrument|meter|instrumentation
传感 sensor|sensing
传感器 sensor
控制 control
电控 electric control|electronic control
管理 management
咨询 consulting|consultancy
服务 service
外包 outsourcing
科学 science|scientific
研究院 research institute|institute
设计 design
包装 packaging|package|packing
印刷 printing|print
纸业 paper
造纸 paper|papermaking
木业 wood|timber
橡胶 rubber
胶带 tape|adhesive tape
密封 seal|sealing
阀门 valve
泵业 pump
管业 pipe|pipeline|tube
线缆 cable|wire
连接器 connector
元件 component|element
器件 device|component
显示 display
视讯 video|visual
音响 audio|acoustic|sound
声学 acoustic|acoustics
电声 electroacoustic|acoustic|audio
影像 imaging|image
安防 security|safety
安全 safety|security
消防 fire|fire protection|fire fighting
电商 e-commerce|ecommerce
互联网 internet
云计算 cloud computing|cloud
数据 data
大数据 big data|data
游戏 game|gaming
体育 sport|sports
玩具 toy
文具 stationery
礼品 gift
箱包 luggage|bag
鞋业 shoe|footwear
皮革 leather
眼镜 optical|eyewear|glasses
钟表 watch|clock
珠宝 jewelry|jewellery
首饰 jewelry|jewellery
电动 electric|motor
新型 new
高分子 polymer
复合材料 composite material|composite
纳米 nano|nanometer
铸造 casting|foundry
锻造 forging
制造 manufacturing|manufacture|mfg|manufacturer
加工 processing
股份 share|stock|joint stock
应用 application|applied
系统 system
工程技术 engineering technology
防务 defense|defence
军工 military|defense
传输 transmission
激光 laser
照明电器 lighting appliance|lighting|electrical lighting
热能 thermal energy|thermal
节能 energy saving|energy conservation|energy-saving
新技术 new technology
光电科技 optoelectronic technology|optoelectronic|photoelectric technology
电子技术 electronic technology|electronic
机械设备 machinery equipment|machinery
精工 precision|precision engineering|precision industry
电工 electrician|electrical|electric
压缩机 compressor
制冷 refrigeration|cooling
空调 air conditioning|air conditioner
卫星 satellite
导航 navigation
网络科技 network technology|internet technology
信息科技 information technology|info tech
药用 pharmaceutical|medicinal
中药 chinese medicine|traditional chinese medicine|tcm|herbal
医学 medical|medicine
生命科学 life science
基因 gene|genetic|genomic
疫苗 vaccine
种业科技 seed technology|seed
公用 public utility|utility|public
公用事业 public utility|utility
城投 urban construction investment|urban investment
城建 urban construction
高速公路 expressway|highway
高速 expressway|highway
路桥 road bridge|road and bridge
机场 airport
铁路 railway
电视 television|tv
广播 broadcasting|radio
出版 publishing|publication
传播 communication|media
广告 advertising|advertisement
新材 new material|advanced material|material
创新 innovation|innovative
医院 hospital
商城 mall|mart|shopping mall|commercial|plaza
商厦 department store|store|plaza|commercial building
大厦 tower|building|mansion|plaza
资源 resource
焊接 welding
终端 terminal
娱乐 entertainment
互动 interactive
园区 park|industrial park
冷热 refrigeration|cooling heating|heat
模塑 moulding|mould plastic|mold plastic|molding
输送 conveying|conveyor
卫材 medical material|sanitary material|hygiene material
卫生 hygiene|health|sanitary
农化 agrochemical|agricultural chemical
化纤 chemical fiber|chemical fibre
高纤 high fiber|fiber
现代 modern
钢圈 wheel|steel wheel|rim
油漆 paint|coating
涂料 paint|coating
特种 special|specialty
特材 special material
葡萄酒 wine|grape wine
期货 futures
餐饮 catering|restaurant|food service
水泥 cement
电容器 capacitor
钴业 cobalt
绒业 cashmere|wool
铜箔 copper foil
镁业 magnesium
菌业 fungus|mushroom|edible fungi
节水 water saving|irrigation|water-saving
运业 transportation|transport
百货商店 department store|store
生态 ecology|ecological|eco
数控 cnc|numerical control|automation
轴承 bearing
不锈钢 stainless steel|stainless
板业 panel|board
水处理 water treatment
管理 management
制造 manufacturing|manufacture|mfg|manufacturer
"""

# Words that only say "a company" or "a group of companies": present in many names, weak alone.
WEAK = frozenset(
    "group holding industry industrial enterprise development technology tech science new "
    "international share stock product high hi advanced modern universal".split()
)


def _words(phrase: str) -> tuple[str, ...]:
    """An English rendering as comparable words ("Sci-Tech" → ("sci", "tech"))."""
    out = []
    for word in phrase.replace("-", " ").split():
        word = stem(ABBREVIATIONS.get(word, word))
        if word not in ("and", "of", "the"):
            out.append(word)
    return tuple(out)


@lru_cache(maxsize=1)
def table() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Chinese descriptor → its English renderings as word tuples."""
    out: dict[str, tuple[tuple[str, ...], ...]] = {}
    for line in _TABLE.strip().splitlines():
        zh, _, en = line.partition(" ")
        renderings = [_words(p) for p in en.split("|")]
        if zh.endswith("业") and len(zh) == 2:
            # 管业 "Pipe Industry", 矿业 "Mining Industry": an X业 may say "industry" after X.
            renderings += [(*r, "industry") for r in renderings if len(r) == 1]
        out.setdefault(zh, ())
        out[zh] = tuple(dict.fromkeys(out[zh] + tuple(renderings)))
    return out


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Every English word used by some descriptor (an English name's industry vocabulary)."""
    return frozenset(w for renderings in table().values() for r in renderings for w in r)


@lru_cache(maxsize=1)
def longest() -> int:
    """The longest Chinese descriptor, in characters."""
    return max(len(k) for k in table())


def split_suffix(text: str) -> tuple[str, tuple[str, ...]]:
    """Peel descriptors off the end of a Chinese name core: 聚能电池 → (聚能, (电池,)).

    Stops when fewer than two characters of trade name would remain, unless everything left is
    descriptors (云南旅游 after its place: no trade name at all).
    """
    words: list[str] = []
    rest = text
    descriptors = table()
    while rest:
        for size in range(min(len(rest), longest()), 0, -1):
            tail = rest[-size:]
            if tail in descriptors and (len(rest) - size >= 2 or len(rest) == size):
                words.insert(0, tail)
                rest = rest[:-size]
                break
        else:
            break
    return rest, tuple(words)


@lru_cache(maxsize=1)
def strong_words() -> frozenset[str]:
    """Industry words that are not weak ("battery", not "technology")."""
    return english_words() - WEAK


# Single descriptor characters, for the part of a name after the trade name that the table
# above does not cover (精机, 客车, 瓷业 …): an English word glossing one of them is no conflict.
_CHARS = """
机 machine|machinery|mechanical|machining|engine|tool
电 electric|electrical|electronic|electricity|power|electron
车 vehicle|car|auto|automobile|coach|bus|motor|truck
船 ship|shipbuilding|boat|marine|vessel|yacht
艇 boat|yacht|ship
钢 steel
铁 iron|steel|railway
铜 copper
铝 aluminum|aluminium
金 gold|golden|metal|financial
银 silver|bank
矿 mining|mine|mineral|ore
煤 coal
油 oil|petroleum|oil|paint
气 gas|pneumatic
水 water|hydro|aquatic
港 port|harbor|harbour
航 airline|aviation|shipping|navigation
运 transport|transportation|shipping|logistic|tanker
路 road|railway
桥 bridge
建 construction|building
构 structure|construction
房 real|estate|property|house|housing
材 material
料 material
纸 paper
纺 textile|spinning
织 textile|weaving|knitting
纱 yarn
线 wire|cable|line
缆 cable
管 pipe|tube|pipeline
阀 valve
泵 pump
轮 wheel|tyre|tire
胎 tyre|tire
床 tool|machine
具 tool|ware|equipment|appliance|sling
器 apparatus|appliance|device|equipment|instrument|ware
仪 instrument|meter
表 meter|watch
灯 lamp|light|lighting
光 optical|optic|light|photo|opto
声 acoustic|audio|sound
药 pharmaceutical|pharmacy|drug|medicine|medical
医 medical|medicine|hospital|health
酒 wine|liquor|spirit|winery|brewery
茶 tea
米 rice|cereal|grain
粮 grain|cereal|food
食 food
乳 dairy|milk
肉 meat
糖 sugar
盐 salt
农 agriculture|agricultural|farm|farming|agro
牧 husbandry|livestock|farming
渔 fishery|fishing
林 forestry|wood|timber
木 wood|timber
瓷 ceramic|porcelain|china
陶 ceramic|pottery
玻 glass
塑 plastic
胶 rubber|plastic|adhesive|glue
橡 rubber
漆 paint|coating|lacquer
化 chemical|chemistry
肥 fertilizer|fertiliser
布 cloth|fabric
衣 clothing|apparel|garment
装 equipment|garment|apparel|decoration
鞋 shoe|footwear
包 package|packaging|bag
印 printing|print
报 daily|newspaper|press
媒 media
影 film|movie|image|imaging
视 video|vision|visual|television|tv
游 tourism|travel|game|gaming
旅 travel|tourism
店 store|shop|hotel
商 commerce|commercial|business|trade|trading|mall
贸 trade|trading
超 super|superstore|supermarket
市 market|mart
场 market|mall|emporium
厦 building|tower|mansion|plaza
楼 building|tower|department
城 city|town|mall
园 park|garden
控 control|holding
投 investment
资 capital|investment|asset|resource
融 finance|financial
保 insurance|protection|care
护 care|protection|nursing
卫 sanitary|hygiene|health
健 health|healthy
康 health|healthy|care
生 bio|biological|life
环 environment|environmental|ring
能 energy|power
热 heat|thermal
冷 cold|refrigeration|cooling
风 wind
太 solar
阳 solar|sun
科 science|technology|tech
技 technology|tech|technique
数 digital|data|numerical
智 intelligent|smart|intelligence|wisdom
网 network|net|internet
讯 communication|telecom|information
通 communication|telecom|transport
信 information|communication|trust
软 software|soft
件 component|part|software
模 mould|mold|die|model
具 tool|ware
精 precision|precise|fine
工 industry|industrial|engineering|works|machinery
厂 factory|works|plant
业 industry|industrial|enterprise
爆 explosive|blasting
防 protection|defense|defence|proof
安 safety|security|safe
"""


@lru_cache(maxsize=1)
def char_glosses() -> dict[str, frozenset[str]]:
    """Descriptor character → English words that may render it."""
    out: dict[str, set[str]] = {}
    for line in _CHARS.strip().splitlines():
        ch, _, en = line.partition(" ")
        out.setdefault(ch, set()).update(w for p in en.split("|") for w in _words(p))
    return {k: frozenset(v) for k, v in out.items()}
