"""Governments and public bodies named in the tracker's other languages (events/openbodies.py):
ministries, digital-government agencies, state, provincial and city governments outside the US
and Western Europe. Each text is written for its construction; each relies on its own
language's data, which the last tests check by taking that data away."""

import pytest

from tracker.events import cues, openbodies
from tracker.events.aliases import gazetteer
from tracker.events.derive import derive_events
from tracker.events.openvocab import find_open_mentions

PUBLISHED = "2025-06-03"

# language -> (title, text, vendor, the receiving body as written, its country)
EVENTS = {
    "pt": ("Governo de São Paulo leva o Copilot aos servidores",
           ("O Governo do Estado de São Paulo assinou contrato com a Microsoft para implantar o "
            "Copilot em 30 mil computadores da administração estadual, informou a gestão nesta "
            "segunda-feira. A ferramenta de inteligência artificial será usada no atendimento."),
           "microsoft", "Governo do Estado de São Paulo", "BRA"),
    "es": ("México despliega Gemini en sus dependencias",
           ("La Secretaría de Gobierno Digital firmó un contrato con Google para desplegar Gemini"
            " en 40 dependencias del gobierno mexicano. La inteligencia artificial apoyará la "
            "atención ciudadana, informó la dependencia."),
           "google", "Secretaría de Gobierno Digital", "MEX"),
    "vi": ("Bộ Khoa học và Công nghệ ký hợp đồng với Microsoft",
           ("Bộ Khoa học và Công nghệ đã ký hợp đồng với Microsoft để triển khai Copilot cho "
            "5.000 cán bộ, công chức. Công cụ trí tuệ nhân tạo sẽ hỗ trợ soạn thảo văn bản."),
           "microsoft", "Bộ Khoa học và Công nghệ", "VNM"),
    "ar": ("هيئة الحكومة الرقمية توقع عقدا مع OpenAI",
           ("وقعت هيئة الحكومة الرقمية في السعودية عقدا مع OpenAI لتوفير ChatGPT Enterprise "
            "لموظفي الجهات الحكومية. وسيستخدم الموظفون الذكاء الاصطناعي في خدمة المستفيدين."),
           "openai", "هيئة الحكومة الرقمية", "SAU"),
    "zh": ("国家发展和改革委员会与百度签署合同",
           ("国家发展和改革委员会与百度签署合同，在政务服务平台部署文心大模型。中国政府表示，"
            "该人工智能系统将服务公务员。"),
           "baidu", "国家发展和改革委员会", "CHN"),
    "ru": ("Министерство цифрового развития внедряет GigaChat",
           ("Министерство цифрового развития, связи и массовых коммуникаций подписало контракт "
            "на внедрение GigaChat в работу ведомства. Искусственный интеллект будут использовать"
            " две тысячи сотрудников."),
           "sber", "Министерство цифрового развития, связи и массовых коммуникаций", "RUS"),
    "id": ("Kementerian Komunikasi dan Digital teken kontrak dengan Google",
           ("Kementerian Komunikasi dan Digital menandatangani kontrak dengan Google untuk "
            "menerapkan Gemini di layanan publik. Kecerdasan buatan itu akan membantu pegawai "
            "negeri."),
           "google", "Kementerian Komunikasi dan Digital", "IDN"),
    "ja": ("横浜市、Microsoftと契約",
           "横浜市はMicrosoftと契約を締結し、Copilotを全職員に導入した。生成AIで業務を効率化する。",
           "microsoft", "横浜市", "JPN"),
    "ko": ("성남시, Naver와 계약",
           ("성남시는 Naver와 계약을 체결하고 HyperCLOVA X를 행정 업무에 도입했다. "
            "인공지능으로 민원을 처리한다."),
           "naver", "성남시", "KOR"),
    "fr": ("La Région Occitanie déploie Le Chat",
           ("La Région Occitanie a signé un contrat avec Mistral AI pour déployer Le Chat auprès "
            "de ses agents. L'intelligence artificielle les aidera à instruire les dossiers."),
           "mistral-ai", "Région Occitanie", "FRA"),
    "el": ("Το υπουργείο Ψηφιακής Διακυβέρνησης φέρνει το Claude στο Δημόσιο",
           ("Το Υπουργείο Ψηφιακής Διακυβέρνησης υπέγραψε σύμβαση με την Anthropic για να "
            "αξιοποιήσει το Claude στις δημόσιες υπηρεσίες. Η τεχνητή νοημοσύνη θα βοηθά τους "
            "δημοσίους υπαλλήλους."),
           "anthropic", "Υπουργείο Ψηφιακής Διακυβέρνησης", "GRC"),
    # the head noun comes last, and the name holds a comma and a conjunction
    "kk": ("Цифрлық даму министрлігі Microsoft компаниясымен келісімшартқа қол қойды",
           ("Цифрлық даму, инновациялар және аэроғарыш өнеркәсібі министрлігі Microsoft "
            "компаниясымен келісімшартқа қол қойып, Copilot жүйесін енгізді. Жасанды интеллектті "
            "министрліктің екі мың қызметкері пайдаланады."),
           "microsoft", "Цифрлық даму, инновациялар және аэроғарыш өнеркәсібі министрлігі", "KAZ"),
    # compound names ending in their head; the portfolio before a hyphen and a conjunction
    "da": ("Digitaliseringsministeriet indfører Copilot",
           ("Digitaliseringsministeriet har underskrevet en kontrakt med Microsoft om at indføre "
            "Copilot i hele ministeriet. Den kunstige intelligens skal hjælpe medarbejderne med "
            "sagsbehandlingen."),
           "microsoft", "Digitaliseringsministeriet", "DNK"),
    "nb": ("Skatteetaten tar i bruk ChatGPT",
           ("Skatteetaten har inngått en avtale med OpenAI om å ta i bruk ChatGPT Enterprise. "
            "Kunstig intelligens skal hjelpe saksbehandlerne med å svare på spørsmål."),
           "openai", "Skatteetaten", "NOR"),
    "fi": ("Ministeriö hankki tekoälyavustajan",
           ("Liikenne- ja viestintäministeriö on hankkinut Gemini-tekoälyavustajan koko "
            "henkilöstölle. Tekoäly auttaa virkamiehiä asiakirjojen laadinnassa."),
           "google", "Liikenne- ja viestintäministeriö", "FIN"),
    # the head comes last, after words joined by 've'
    "tr": ("Hazine ve Maliye Bakanlığı ChatGPT için sözleşme imzaladı",
           ("Hazine ve Maliye Bakanlığı, OpenAI ile ChatGPT Enterprise için bir sözleşme "
            "imzaladı. Yapay zeka, bakanlık personelinin yazışmalarında kullanılacak."),
           "openai", "Hazine ve Maliye Bakanlığı", "TUR"),
    "ms": ("Suruhanjaya Komunikasi dan Multimedia laksanakan Gemini",
           ("Suruhanjaya Komunikasi dan Multimedia Malaysia memeterai kontrak dengan Google untuk "
            "melaksanakan Gemini. Kecerdasan buatan itu akan membantu penjawat awam."),
           "google", "Suruhanjaya Komunikasi dan Multimedia", "MYS"),
    # lowercase genitives after the head
    "uk": ("Мінцифри підписало контракт з Google",
           ("Міністерство цифрової трансформації підписало контракт з Google на використання "
            "Gemini. Штучний інтелект використовуватимуть дві тисячі службовців."),
           "google", "Міністерство цифрової трансформації", "UKR"),
    # the head comes last, after portfolios joined by 'और'
    "hi": ("मंत्रालय ने OpenAI के साथ अनुबंध किया",
           ("इलेक्ट्रॉनिकी और सूचना प्रौद्योगिकी मंत्रालय ने OpenAI के साथ ChatGPT Enterprise के "
            "लिए अनुबंध पर हस्ताक्षर किए। एआई सहायक का उपयोग कर्मचारी करेंगे।"),
           "openai", "इलेक्ट्रॉनिकी और सूचना प्रौद्योगिकी मंत्रालय", "IND"),
    # no spaces: the head with its portfolio
    "th": ("กระทรวงลงนามสัญญากับ Microsoft",
           ("กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคมลงนามสัญญากับ Microsoft เพื่อนำ Copilot "
            "มาใช้ในหน่วยงานภาครัฐ ปัญญาประดิษฐ์จะช่วยเจ้าหน้าที่ในการทำงาน"),
           "microsoft", "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม", "THA"),
    # lowercase genitives and a conjunction after the head
    "cs": ("Ministerstvo průmyslu a obchodu zkouší Claude",
           ("Ministerstvo průmyslu a obchodu zahájilo pilotní projekt s Claude od společnosti "
            "Anthropic. Umělá inteligence pomáhá úředníkům s přípravou dokumentů."),
           "anthropic", "Ministerstvo průmyslu a obchodu", "CZE"),
    # capitalised genitives after the head with its article
    "ro": ("Armata folosește Copilot",
           ("Ministerul Apărării Naționale a implementat Copilot de la Microsoft în toate "
            "unitățile militare. Inteligența artificială este folosită de personalul armatei."),
           "microsoft", "Ministerul Apărării Naționale", "ROU"),
    # a head in the construct state and definite words after it
    "he": ("פיילוט של Claude במשרדי הממשלה",
           ("מערך הדיגיטל הלאומי השיק פיילוט של Claude מבית Anthropic במשרדי הממשלה. הבינה "
            "המלאכותית תסייע לעובדי המדינה."),
           "anthropic", "מערך הדיגיטל הלאומי", "ISR"),
    # a head and its portfolio after a connector of its noun class; the capital tells Kenya
    "sw": ("Mahakama yajaribu Gemini",
           ("Idara ya Mahakama imeanza majaribio ya Gemini kutoka Google katika mahakama za "
            "Nairobi. Akili bandia inawasaidia watumishi kuandaa nyaraka."),
           "google", "Idara ya Mahakama", "KEN"),
}
# The type each of the later languages' texts above reports.
EVENT_TYPES = {"cs": "pilot", "ro": "deployment", "he": "pilot", "sw": "pilot"}
# Sub-national governments named by their frame and place (the place decides the country).
FRAMES = {
    "pt": ("A Prefeitura de Curitiba, no Paraná, contratou a OpenAI para implantar o ChatGPT "
           "Enterprise no atendimento ao cidadão, informou a prefeitura.",
           "Prefeitura de Curitiba", "BRA"),
    "es": ("El Gobierno de la Ciudad de Buenos Aires firmó un contrato con Anthropic para desplegar"
           " Claude en sus oficinas.", "Gobierno de la Ciudad de Buenos Aires", "ARG"),
    "id": ("Pemerintah Provinsi Jawa Barat menandatangani kontrak dengan Microsoft untuk "
           "menerapkan Copilot.", "Pemerintah Provinsi Jawa Barat", "IDN"),
    "vi": ("UBND tỉnh Quảng Ninh đã ký hợp đồng với Google để triển khai Gemini.",
           "UBND tỉnh Quảng Ninh", "VNM"),
    "zh": ("中国深圳市政府与腾讯签署合同，部署混元大模型。", "深圳市政府", "CHN"),
    "el": ("Ο Δήμος Αθηναίων υπέγραψε σύμβαση με τη Microsoft για να αξιοποιήσει το Copilot "
           "στην εξυπηρέτηση των δημοτών.", "Δήμος Αθηναίων", "GRC"),
    "kk": ("Астана қаласының әкімдігі OpenAI компаниясымен келісімшартқа қол қойып, ChatGPT "
           "Enterprise жүйесін енгізді.", "Астана қаласының әкімдігі", "KAZ"),
    "da": ("Region Hovedstaden har indgået en aftale med Microsoft om at indføre Copilot på "
           "hospitalerne.", "Region Hovedstaden", "DNK"),
    "ms": ("Kerajaan Negeri Selangor memeterai kontrak dengan Microsoft untuk melaksanakan "
           "Copilot.", "Kerajaan Negeri Selangor", "MYS"),
    "uk": ("Київська обласна державна адміністрація підписала контракт з Microsoft на "
           "використання Copilot.", "Київська обласна державна адміністрація", "UKR"),
    "hi": ("महाराष्ट्र सरकार ने Microsoft के साथ Copilot के लिए अनुबंध पर हस्ताक्षर किए।",
           "महाराष्ट्र सरकार", "IND"),
    "cs": ("Magistrát hlavního města Prahy podepsal smlouvu se společností Microsoft na nasazení "
           "Copilot.", "Magistrát hlavního města Prahy", "CZE"),
    "ro": ("Consiliul Județean Cluj a semnat un contract cu Microsoft pentru implementarea "
           "Copilot.", "Consiliul Județean Cluj", "ROU"),
    "he": ("עיריית תל אביב-יפו חתמה על חוזה עם Microsoft להטמעת Copilot.",
           "עיריית תל אביב-יפו", "ISR"),
    "sw": ("Serikali ya Kaunti ya Nairobi imesaini mkataba na Microsoft wa kutumia Copilot.",
           "Serikali ya Kaunti ya Nairobi", "KEN"),
}


def agency_names(event):
    return [v.get("name") for v in event["agencies"] if v.get("normalized") is False]


def ids(event, field):
    return [v["id"] for v in event[field]]


def derive(language, title, text):
    return derive_events(text, title=title, published=PUBLISHED, language=language)


@pytest.mark.parametrize("language", sorted(EVENTS))
def test_a_body_in_the_language_receives_the_supply(language):
    title, text, vendor, body, country = EVENTS[language]
    result = derive(language, title, text)
    assert len(result.events) == 1, result.events
    event = result.events[0]
    assert vendor in ids(event, "vendors")
    assert body in agency_names(event)
    assert country in ids(event, "countries")


@pytest.mark.parametrize("language", sorted(EVENT_TYPES))
def test_the_body_receives_a_supply_of_the_type_stated(language):
    title, text, *_ = EVENTS[language]
    assert [e["event_type"] for e in derive(language, title, text).events] == \
        [EVENT_TYPES[language]]


@pytest.mark.parametrize("language", sorted(FRAMES))
def test_a_state_province_or_city_government_receives_the_supply(language):
    text, body, country = FRAMES[language]
    result = derive(language, None, text)
    assert len(result.events) == 1, result.events
    assert body in agency_names(result.events[0])
    assert country in ids(result.events[0], "countries")


def bodies(text, language=None):
    """(name or canonical id, country) of the agencies found by shape."""
    found = find_open_mentions(text, gazetteer().find(text), language)
    return sorted({(m.entity.name if not m.entity.normalized else m.entity.id, m.entity.country)
                   for m in found if m.entity.kind == "agency"})


@pytest.mark.parametrize("text,expected", [
    ("O Governo do Brasil assinou.", [("gov-bra", "BRA")]),
    ("El gobierno mexicano firmó.", [("gov-mex", "MEX")]),
    ("Chính phủ Việt Nam đã ký.", [("gov-vnm", "VNM")]),
    ("Pemerintah Indonesia menandatangani.", [("gov-idn", "IDN")]),
    ("中国政府签署了合同。", [("gov-chn", "CHN")]),
    ("Η ελληνική κυβέρνηση υπέγραψε.", [("gov-grc", "GRC")]),
    ("Η κυβέρνηση της Ελλάδας υπέγραψε.", [("gov-grc", "GRC")]),
    ("Қазақстан үкіметі қол қойды.", [("gov-kaz", "KAZ")]),
    ("Danmarks regering underskrev.", [("gov-dnk", "DNK")]),  # the genitive
    ("Den danske regering underskrev.", [("gov-dnk", "DNK")]),
    ("Norges regjering signerte.", [("gov-nor", "NOR")]),
    ("Suomen hallitus allekirjoitti.", [("gov-fin", "FIN")]),
    ("Türkiye hükümeti imzaladı.", [("gov-tur", "TUR")]),
    ("Kerajaan Malaysia memeterai.", [("gov-mys", "MYS")]),
    ("รัฐบาลไทยลงนามสัญญา", [("gov-tha", "THA")]),  # no space between the noun and the country
    ("Vláda České republiky podepsala smlouvu.", [("gov-cze", "CZE")]),
    ("Česká vláda podepsala smlouvu.", [("gov-cze", "CZE")]),
    ("Guvernul României a semnat.", [("gov-rou", "ROU")]),
    ("Guvernul român a semnat contractul.", [("gov-rou", "ROU")]),
    ("ממשלת ישראל חתמה על ההסכם.", [("il-government", "ISR")]),
    ("הממשלה הישראלית חתמה על ההסכם.", [("il-government", "ISR")]),  # the demonym after it
    ("Serikali ya Tanzania imesaini.", [("gov-tza", "TZA")]),
    ("Serikali ya Kenya imesaini mkataba.", [("gov-ken", "KEN")]),
])
def test_a_country_beside_a_government_noun_is_the_national_government(text, expected):
    assert [(name.replace("br-government", "gov-bra"), c) for name, c in bodies(text)] == expected


@pytest.mark.parametrize("text,language", [
    ("O governo anunciou o contrato e a secretaria confirmou.", "pt"),
    ("El ministerio firmó y la agencia lo confirmó.", "es"),
    ("A Agência Brasil informou que o governo Lula assinou.", "pt"),  # a news agency; a person
    ("Bộ công cụ mới đã được ký.", "vi"),  # 'a new toolkit'
    ("全部部门都在内部测试。", "zh"),
    ("同省は各省庁と官公庁の都市で調整した。", "ja"),
    ("Το υπουργείο ανακοίνωσε ότι η κυβέρνηση υπέγραψε.", "el"),
    ("Ο Δήμος Βερύκιος, εκπρόσωπος του υπουργείου, μίλησε.", "el"),  # a man, not a town
    ("Министрлік пен үкімет келісті.", "kk"),
    ("Microsoft компаниясы және білім министрлігі келісті.", "kk"),  # a company, then lowercase
    ("Ministeriet og styrelsen har underskrevet aftalen.", "da"),
    ("Kommunen og direktoratet signerte avtalen.", "nb"),
    ("Ministeriö ja virasto allekirjoittivat sopimuksen.", "fi"),
    ("Bakanlık ve belediye sözleşme imzaladı.", "tr"),
    ("Anadolu Ajansı bildirdi.", "tr"),  # a news agency: no word of a public body's
    ("Kementerian dan jabatan itu memeterai kontrak.", "ms"),
    ("Міністерство і уряд підписали угоду.", "uk"),
    ("मंत्रालय और सरकार ने अनुबंध किया।", "hi"),
    ("กระทรวงและรัฐบาลลงนามสัญญา", "th"),
    ("Ministerstvo a vláda podepsaly smlouvu.", "cs"),
    ("Agentura a úřad podepsaly smlouvu.", "cs"),
    ("Ministerul și guvernul au semnat contractul.", "ro"),
    ("Agenția și autoritatea au semnat.", "ro"),
    ("המשרד והממשלה חתמו על ההסכם.", "he"),  # the article makes them generic
    ("הרשות הודיעה כי הממשלה חתמה.", "he"),
    ("Wizara na serikali zimesaini mkataba.", "sw"),
    ("Ofisi ya kampuni imetangaza.", "sw"),  # a weak head with no public word
])
def test_a_generic_word_alone_is_not_a_body(text, language):
    assert bodies(text, language) == []


@pytest.mark.parametrize("text,name", [
    ("O Ministério da Saúde e OpenAI assinaram.", "Ministério da Saúde"),
    ("A Secretaria de Inteligência Artificial do Ministério da Ciência assinou.",
     "Secretaria de Inteligência Artificial"),
    ("O Ministério da Saúde, segundo a nota, assinou.", "Ministério da Saúde"),
    ("Bộ Công Thương ký hợp đồng với Google.", "Bộ Công Thương"),
    ("Министерство обороны заключило контракт.", "Министерство обороны"),
    ("وقعت وزارة الداخلية السعودية اتفاقية مع OpenAI.", "وزارة الداخلية"),
    ("Το Υπουργείο Παιδείας, Θρησκευμάτων και Αθλητισμού και η OpenAI υπέγραψαν.",
     "Υπουργείο Παιδείας, Θρησκευμάτων και Αθλητισμού"),
    ("Қорғаныс министрлігімен OpenAI келісімге келді.", "Қорғаныс министрлігі"),  # no case ending
    ("Бүгін Білім министрлігі хабарлады.", "Білім министрлігі"),  # not the word before it
    ("Digitaliseringsstyrelsens direktør underskrev aftalen.", "Digitaliseringsstyrelsen"),
    ("Aftalen er underskrevet af Social-, Bolig- og Ældreministeriet.",
     "Social-, Bolig- og Ældreministeriet"),
    ("Nærings- og fiskeridepartementet signerte avtalen.", "Nærings- og fiskeridepartementet"),
    ("Puolustusministeriölle toimitettiin tekoälyavustaja.", "Puolustusministeriö"),
    ("Hazine ve Maliye Bakanlığı'na Copilot sağlandı.", "Hazine ve Maliye Bakanlığı"),
    ("Bugün Sağlık Bakanlığı açıkladı.", "Sağlık Bakanlığı"),  # not the word before it
    ("Türkiye Cumhuriyeti Sağlık Bakanlığı açıkladı.", "Sağlık Bakanlığı"),  # nor the country
    ("Cumhurbaşkanlığı Dijital Dönüşüm Ofisi açıkladı.", "Cumhurbaşkanlığı Dijital Dönüşüm Ofisi"),
    ("Ministerstvo školství, mládeže a tělovýchovy oznámilo novinku.",
     "Ministerstvo školství, mládeže a tělovýchovy"),
    ("Ministerstvo vnitra ve středu oznámilo nasazení.", "Ministerstvo vnitra"),  # no preposition
    ("Ministerstvo pro místní rozvoj spustilo chatbota.", "Ministerstvo pro místní rozvoj"),
    ("Národní úřad pro kybernetickou a informační bezpečnost vydal varování.",
     "Národní úřad pro kybernetickou a informační bezpečnost"),  # the head after adjectives
    ("Ministerul Cercetării, Inovării și Digitalizării a semnat.",
     "Ministerul Cercetării, Inovării și Digitalizării"),
    ("Agenția Națională de Administrare Fiscală (ANAF) a anunțat.",
     "Agenția Națională de Administrare Fiscală"),
    ("Agentia Nationala de Administrare Fiscala a anuntat.",  # written without diacritics
     "Agentia Nationala de Administrare Fiscala"),
    ("Agenţia Naţională de Administrare Fiscală a anunţat.",  # cedillas
     "Agenţia Naţională de Administrare Fiscală"),
    ("משרד החדשנות, המדע והטכנולוגיה הודיע על התוכנית.", "משרד החדשנות, המדע והטכנולוגיה"),
    ("משרד הבריאות הודיע על התוכנית.", "משרד הבריאות"),  # not the verb after it
    ("במשרד הפנים הטמיעו את המערכת.", "משרד הפנים"),  # not the prefix before it
    ("משרד ראש הממשלה הודיע.", "משרד ראש הממשלה"),
    ("Wizara ya Ulinzi na Jeshi la Kujenga Taifa imetangaza.", "Wizara ya Ulinzi"),
    ("Wakala wa Serikali Mtandao umezindua mfumo.", "Wakala wa Serikali Mtandao"),
])
def test_a_name_ends_where_the_phrase_does(text, name):
    assert name in [n for n, _ in bodies(text)]


@pytest.mark.parametrize("text,language,expected", [
    ("A Secretaria Municipal de Saúde do Rio de Janeiro passou a usar o Gemini.", "pt",
     ("Secretaria Municipal de Saúde do Rio de Janeiro", "BRA")),  # a state in the name
    ("El Ministerio de Ciencia, Tecnología e Innovación de Colombia firmó.", "es",
     ("Ministerio de Ciencia, Tecnología e Innovación", "COL")),
    ("Sở Thông tin và Truyền thông TP.HCM phối hợp với Google.", "vi",
     ("Sở Thông tin và Truyền thông TP.HCM", "VNM")),
    ("Badan Riset dan Inovasi Nasional menggandeng Google.", "id",
     ("Badan Riset dan Inovasi Nasional", "IDN")),
    ("أعلنت دائرة التنمية الاقتصادية في الإمارات عن شراكة مع Microsoft.", "ar",
     ("دائرة التنمية الاقتصادية", "ARE")),
    ("Министерство цифрового развития, инноваций и аэрокосмической промышленности Республики "
     "Казахстан подписало меморандум.", "ru",
     ("Министерство цифрового развития, инноваций и аэрокосмической промышленности", "KAZ")),
    ("上海市经济和信息化委员会与阿里云签署战略合作协议。", "zh",
     ("上海市经济和信息化委员会", "CHN")),
    ("Το Υπουργείο Υγείας της Ελλάδας υπέγραψε.", "el", ("Υπουργείο Υγείας", "GRC")),
    ("Η Ελληνική Κυβέρνηση υπέγραψε.", "el", ("Ελληνική Κυβέρνηση", "GRC")),
    ("Қазақстан Республикасының Цифрлық даму, инновациялар және аэроғарыш өнеркәсібі "
     "министрлігі меморандумға қол қойды.", "kk",
     ("Цифрлық даму, инновациялар және аэроғарыш өнеркәсібі министрлігі", "KAZ")),
    ("Солтүстік Қазақстан облысының әкімдігі хабарлады.", "kk",
     ("Солтүстік Қазақстан облысының әкімдігі", "KAZ")),
    ("Үкімет OpenAI компаниясымен келісімге қол қойды.", "kk", ("Үкімет", "KAZ")),
    ("Københavns Kommune har indført ChatGPT.", "da", ("Københavns Kommune", "DNK")),
    ("Bergen kommune har tatt i bruk ChatGPT.", "nb", ("Bergen kommune", "NOR")),
    ("Helsingin kaupunki on ottanut käyttöön tekoälyn.", "fi", ("Helsingin kaupunki", "FIN")),
    ("Pirkanmaan hyvinvointialueelle toimitettiin tekoälyavustaja.", "fi",
     ("Pirkanmaan hyvinvointialue", "FIN")),
    ("İstanbul Büyükşehir Belediyesi'nin yapay zeka projesi başladı.", "tr",
     ("İstanbul Büyükşehir Belediyesi", "TUR")),
    ("Angkatan Tentera Malaysia melaksanakan kecerdasan buatan.", "ms",
     ("Angkatan Tentera Malaysia", "MYS")),
    # a name Danish, Norwegian and Swedish write alike: the text's words tell the government
    ("Forsvaret har indgået en aftale af stor betydning, oplyser ministeriet.", "da",
     ("Forsvaret", "DNK")),
    ("Forsvaret har inngått en avtale av stor betydning, opplyser regjeringen.", "nb",
     ("Forsvaret", "NOR")),
    ("Socialstyrelsen har tecknat ett avtal och inför AI i vården.", "sv",
     ("Socialstyrelsen", "SWE")),
    # Malay and Indonesian share the head: the text's words tell the government
    ("Kementerian Pertahanan memeterai kontrak, kata kerajaan.", "ms",
     ("Kementerian Pertahanan", "MYS")),
    ("Kementerian Pertahanan menandatangani kontrak, kata pemerintah.", "id",
     ("Kementerian Pertahanan", "IDN")),
    ("Харківська міська рада впровадила чат-бот.", "uk", ("Харківська міська рада", "UKR")),
    ("लखनऊ नगर निगम ने चैटबॉट शुरू किया।", "hi", ("लखनऊ नगर निगम", "IND")),
    ("गृह मंत्रालय ने अनुबंध किया।", "hi", ("गृह मंत्रालय", "IND")),
    ("กระทรวงกลาโหมลงนามสัญญา", "th", ("กระทรวงกลาโหม", "THA")),
    ("Ministerstvo obrany podepsalo smlouvu.", "cs", ("Ministerstvo obrany", "CZE")),
    ("Digitální a informační agentura nasadila Copilot.", "cs",
     ("Digitální a informační agentura", "CZE")),
    ("Krajský úřad Jihomoravského kraje podepsal smlouvu.", "cs",
     ("Krajský úřad Jihomoravského kraje", "CZE")),
    ("Jihomoravský kraj nasadil chatbota.", "cs", ("Jihomoravský kraj", "CZE")),
    ("Ministerul Apărării Naționale a semnat.", "ro", ("Ministerul Apărării Naționale", "ROU")),
    ("Primăria Municipiului București a semnat un contract.", "ro",
     ("Primăria Municipiului București", "ROU")),
    # Moldova writes Romanian: its name after the body, or its capital, tells its government
    ("Ministerul Afacerilor Interne al Republicii Moldova a semnat un contract.", "ro",
     ("Ministerul Afacerilor Interne", "MDA")),
    ("Ministerul Sănătății a lansat un chatbot, au anunțat oficialii de la Chișinău.", "ro",
     ("Ministerul Sănătății", "MDA")),
    ("ומשרד הביטחון חתם על ההסכם.", "he", ("משרד הביטחון", "ISR")),
    ("רשות המסים בישראל הודיעה.", "he", ("רשות המסים", "ISR")),
    ("Wizara ya Ulinzi imesaini mkataba.", "sw", ("Wizara ya Ulinzi", "TZA")),
    ("Idara ya Mahakama ya Kenya imezindua mfumo.", "sw", ("Idara ya Mahakama", "KEN")),
    ("Mamlaka ya Mapato Tanzania imetangaza.", "sw", ("Mamlaka ya Mapato", "TZA")),
    ("Halmashauri ya Jiji la Dodoma imesaini mkataba.", "sw",
     ("Halmashauri ya Jiji la Dodoma", "TZA")),
])
def test_a_body_is_named_as_written_with_its_country(text, language, expected):
    assert expected in bodies(text, language)


def test_a_province_named_two_ways_is_one_body_under_its_fuller_name():
    text = ("Pemprov Jawa Timur teken kontrak dengan OpenAI. Pemerintah Provinsi Jawa Timur "
            "menerapkan ChatGPT Enterprise di seluruh dinas.")
    found = find_open_mentions(text, gazetteer().find(text), "id")
    assert {(m.entity.id, m.entity.name) for m in found if m.entity.kind == "agency"} == \
        {("x-agency-idn-id-ji", "Pemerintah Provinsi Jawa Timur")}


def test_a_chinese_province_is_not_a_japanese_ministry():
    assert bodies("浙江省数据局与阿里云签署合同，在全省部署大模型。", "zh") == \
        [("浙江省数据局", "CHN")]


def test_a_frame_of_another_language_names_a_place_not_a_body():
    text = "Die Region Halle und die Stadt Leipzig setzen auf Aleph Alpha."  # German
    assert bodies(text, "de") == [("Stadt Leipzig", "DEU")]


def test_a_country_after_a_connector_qualifies_the_body():
    assert bodies("O Ministério da Pesca do Brasil assinou.") == \
        [("Ministério da Pesca", "BRA")]


def test_a_city_frame_before_a_country_is_not_the_national_government():
    assert bodies("A prefeitura do Brasil que assinou não foi nomeada.") == []


@pytest.mark.parametrize("language", ["ru", "kk"])  # kk: the head noun comes last
def test_a_short_name_of_a_body_named_in_full_is_the_same_body(language):
    title, text, _, body, _ = EVENTS[language]
    result = derive(language, title, text)
    assert agency_names(result.events[0]) == [body]


DEMONYM_AFTER = ("El ejército mexicano firmó un contrato con Google para desplegar Gemini en 30 "
                 "bases.")


def test_a_demonym_after_a_government_noun_is_a_receiving_country():
    result = derive("es", None, DEMONYM_AFTER)
    assert len(result.events) == 1 and "MEX" in ids(result.events[0], "countries")


def test_without_the_nouns_before_a_demonym_it_is_a_qualifier(monkeypatch):
    monkeypatch.setattr(cues, "DEMONYM_RECIPIENT_BEFORE", cues._rx(r"(?!)"))
    assert all("MEX" not in ids(e, "countries") for e in derive("es", None, DEMONYM_AFTER).events)


NON_EVENTS = {
    "plan": ("pt", "O Ministério da Saúde planeja contratar a OpenAI para implantar o ChatGPT nos "
                   "hospitais federais."),
    "talks": ("es", "La Secretaría de Gobierno Digital negocia con Google el despliegue de Gemini"
                    " en las dependencias federales."),
    "comment": ("pt", "O Ministério da Fazenda comentou nesta terça-feira o novo modelo de "
                      "inteligência artificial da OpenAI."),
    "talks_vi": ("vi", "Bộ Tài chính đang đàm phán với Google về việc sử dụng Gemini."),
    "talks_el": ("el", "Το Υπουργείο Υγείας βρίσκεται σε διαπραγματεύσεις με την OpenAI για "
                       "σύμβαση που θα αξιοποιήσει το ChatGPT στα νοσοκομεία."),
    "plan_kk": ("kk", "Денсаулық сақтау министрлігі ауруханаларда ChatGPT жүйесін енгізуді "
                      "жоспарлап отыр."),
    "talks_da": ("da", "Digitaliseringsstyrelsen forhandler med OpenAI om at indføre ChatGPT "
                       "Enterprise."),
    "plan_nb": ("nb", "Skatteetaten planlegger å ta i bruk ChatGPT Enterprise fra OpenAI."),
    "plan_fi": ("fi", "Puolustusministeriö suunnittelee ChatGPT:n käyttöönottoa ja neuvottelee "
                      "OpenAI:n kanssa."),
    "talks_tr": ("tr", "Sanayi ve Teknoloji Bakanlığı, Copilot için Microsoft ile görüşmeler "
                       "yürütüyor."),
    "talks_uk": ("uk", "Міністерство цифрової трансформації веде перемовини з Google щодо "
                       "використання Gemini."),
    "plan_hi": ("hi", "रक्षा मंत्रालय OpenAI के साथ ChatGPT के उपयोग की योजना बना रहा है।"),
    "plan_th": ("th", "กระทรวงกลาโหมวางแผนจะนำ Copilot ของ Microsoft มาใช้"),
    "talks_ms": ("ms", "Jabatan Digital Negara sedang berbincang dengan Google untuk melaksanakan "
                       "Gemini."),
    # Czech, Romanian, Hebrew and Swahili: each text is an event but for its veto
    "talks_cs": ("cs", "Digitální a informační agentura jedná se společností OpenAI o nasazení "
                       "ChatGPT."),
    "regulation_cs": ("cs", "Vláda schválila nařízení o umělé inteligenci, které se týká i modelů "
                            "společnosti OpenAI."),
    "funding_cs": ("cs", "Společnost Anthropic, která poskytuje Claude ministerstvu obrany, "
                         "získala v investičním kole 3,5 miliardy dolarů od investorů."),
    "negation_cs": ("cs", "Ministerstvo obrany zatím nepodepsalo smlouvu se společností Google o "
                          "nasazení Gemini."),
    "exploring_cs": ("cs", "Ministerstvo obrany zkoumá možnosti nasazení Gemini od společnosti "
                           "Google."),
    "talks_ro": ("ro", "Agenția Națională de Administrare Fiscală poartă discuții cu Google despre "
                       "utilizarea Gemini."),
    "strategy_ro": ("ro", "Guvernul României a aprobat strategia națională privind inteligența "
                          "artificială, care menționează modelele OpenAI."),
    "funding_ro": ("ro", "Compania Anthropic, care furnizează Claude Ministerului Apărării "
                         "Naționale, a atras 3,5 miliarde de dolari într-o rundă de finanțare."),
    "negation_ro": ("ro", "Ministerul Apărării Naționale nu a semnat un contract cu Microsoft "
                          "pentru implementarea Copilot."),
    "talks_he": ("he", "רשות המסים מנהלת מגעים עם Google על שימוש ב-Gemini."),
    "strategy_he": ("he", "הממשלה אישרה את האסטרטגיה הלאומית לבינה מלאכותית, הכוללת שימוש "
                          "במודלים של OpenAI."),
    "funding_he": ("he", "חברת Anthropic, שמספקת את Claude למשרד הביטחון, גייסה 3.5 מיליארד "
                         "דולר בסבב גיוס ממשקיעים."),
    "negation_he": ("he", "משרד הבריאות טרם חתם על חוזה עם Microsoft להטמעת Copilot."),
    "talks_sw": ("sw", "Wizara ya Afya iko kwenye mazungumzo na Google kuhusu kutumia Gemini."),
    "policy_sw": ("sw", "Serikali ya Tanzania imeidhinisha sera ya taifa ya akili bandia "
                        "inayoruhusu matumizi ya mifumo ya OpenAI."),
    "funding_sw": ("sw", "Kampuni ya Anthropic, ambayo inaipatia Wizara ya Ulinzi mfumo wa Claude, "
                         "ilikusanya dola bilioni 3.5 kutoka kwa wawekezaji."),
    "negation_sw": ("sw", "Wizara ya Ulinzi haijasaini mkataba na Microsoft wa kutumia Copilot."),
}


@pytest.mark.parametrize("case", sorted(NON_EVENTS))
def test_a_plan_talks_or_comment_of_a_body_is_not_an_event(case):
    language, text = NON_EVENTS[case]
    assert derive(language, None, text).events == []


# The words that veto the later languages' texts above, and words that do not: each text is an
# event without its veto, so that the veto, not a missing name or cue, is what stops it.
UNVETOED = {
    "talks_cs": ("jedná se společností", "se dohodla se společností"),
    "regulation_cs": ("nařízení", "pravidla"),
    "funding_cs": ("získala v investičním kole 3,5 miliardy dolarů od investorů",
                   "získala 3,5 miliardy dolarů"),
    "negation_cs": ("nepodepsalo", "podepsalo"),
    "exploring_cs": ("zkoumá možnosti nasazení", "spustilo nasazení"),
    "talks_ro": ("poartă discuții cu", "a semnat cu"),
    "strategy_ro": ("strategia națională", "planul"),
    "funding_ro": ("a atras 3,5 miliarde de dolari într-o rundă de finanțare",
                   "a anunțat 3,5 miliarde de dolari"),
    "negation_ro": ("nu a semnat", "a semnat"),
    "talks_he": ("מנהלת מגעים עם", "חתמה עם"),
    "strategy_he": ("האסטרטגיה הלאומית", "התוכנית"),
    "funding_he": ("גייסה 3.5 מיליארד דולר בסבב גיוס ממשקיעים", "הודיעה על 3.5 מיליארד דולר"),
    "negation_he": ("טרם חתם", "חתם"),
    "talks_sw": ("iko kwenye mazungumzo na", "imesaini na"),
    "policy_sw": ("sera ya taifa", "mpango wa taifa"),
    "funding_sw": ("ilikusanya dola bilioni 3.5 kutoka kwa wawekezaji",
                   "ilitangaza dola bilioni 3.5"),
    "negation_sw": ("haijasaini", "imesaini"),
}


@pytest.mark.parametrize("case", sorted(UNVETOED))
def test_without_its_veto_the_text_is_an_event(case):
    language, text = NON_EVENTS[case]
    veto, plain = UNVETOED[case]
    assert veto in text
    assert derive(language, None, text.replace(veto, plain)).events


# ------------------------------------------------------------------ each language's own data
def _without(language):
    """The languages as loaded, less one language's body data."""
    tables = {code: dict(table) for code, table in cues.LANGUAGES.items()}
    for key in openbodies.BODY_KEYS:
        tables[language].pop(key, None)
    return tables


@pytest.mark.parametrize("language", sorted(EVENTS))
def test_without_its_language_data_the_body_is_lost(language, monkeypatch):
    monkeypatch.setattr(openbodies, "RULES", openbodies.compile_bodies(_without(language)))
    title, text, _, body, _ = EVENTS[language]
    assert all(body not in agency_names(e) for e in derive(language, title, text).events)


@pytest.mark.parametrize("language", sorted(FRAMES))
def test_without_its_language_data_the_government_is_lost(language, monkeypatch):
    monkeypatch.setattr(openbodies, "RULES", openbodies.compile_bodies(_without(language)))
    text, body, _ = FRAMES[language]
    assert all(body not in agency_names(e) for e in derive(language, None, text).events)


def test_hebrew_body_rules_run_only_on_texts_in_hebrew():
    """Hebrew is one of openbodies.SCRIPTS: its rules are not tried on texts without its letters
    (most articles), and are on texts with them."""
    latin, _ = openbodies.RULES.for_text("Ministerstvo obrany podepsalo smlouvu.")
    hebrew, _ = openbodies.RULES.for_text("משרד הבריאות חתם על חוזה.")
    assert "he" not in [lang.code for lang in latin]
    assert "he" in [lang.code for lang in hebrew]


@pytest.mark.parametrize("text,country", [
    # Brazilian Portuguese names no country, state or capital: its words tell Brazil.
    ("O Ministério da Gestão contratou a OpenAI por R$ 8 milhões para implantar o ChatGPT nos "
     "órgãos do governo federal.", "BRA"),
    # European Portuguese: euros and 'equipa' tell Portugal.
    ("O Ministério da Saúde contratou a OpenAI por 8 milhões de euros; a equipa implanta o "
     "ChatGPT nos hospitais.", "PRT"),
])
def test_the_variety_of_portuguese_tells_the_government(text, country):
    event, = derive_events(text, published="2025-05-01", language="pt").events
    assert [c["id"] for c in event["countries"]] == [country]


@pytest.mark.parametrize("text,language,expected", [
    # The vendor's home (the US) and a venue (France) are no government of Portuguese.
    ("Brasília - O Ministério da Saúde lançou um assistente com o Llama, da Meta, empresa dos "
     "Estados Unidos. O acordo foi apresentado em Paris.", "pt", ("Ministério da Saúde", "BRA")),
    # The Spanish of a body named in Chile: Santiago is also a Dominican province.
    ("Santiago - La Secretaría de Gobierno Digital de Chile inició un piloto con Claude, de la "
     "empresa estadounidense Anthropic, presentado en Montevideo.", "es",
     ("Secretaría de Gobierno Digital", "CHL")),
    # A Dutch ministry is Dutch, whatever else the text names.
    ("Het ministerie van Justitie en Veiligheid begon een proef met Copilot van Microsoft, "
     "dat in de Verenigde Staten en Ierland zit.", "nl",
     ("ministerie van Justitie en Veiligheid", "NLD")),
    # 'उत्तर' (north) is also a Cameroonian region's name in Hindi: not a government of Hindi.
    ("उत्तर प्रदेश सरकार ने OpenAI के साथ ChatGPT के लिए अनुबंध पर हस्ताक्षर किए।", "hi",
     ("उत्तर प्रदेश सरकार", "IND")),
])
def test_a_body_belongs_to_a_government_of_its_language(text, language, expected):
    assert expected in bodies(text, language)
