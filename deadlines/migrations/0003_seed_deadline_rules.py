"""Seeds the deadline rules agreed in the shared contract (design.md §2.1).

Staff edit them afterwards in the admin; the law changes, the codes do not.
The first line of each legal basis is the short reference quoted in messages.
"""

from django.db import migrations

FZ_59 = "Федеральный закон от 02.05.2006 № 59-ФЗ «О порядке рассмотрения обращений граждан Российской Федерации»"
PP_354 = (
    "Правила предоставления коммунальных услуг собственникам и пользователям помещений в многоквартирных домах "
    "и жилых домов, утв. постановлением Правительства РФ от 06.05.2011 № 354"
)
PP_442 = (
    "Основные положения функционирования розничных рынков электрической энергии, утв. постановлением "
    "Правительства РФ от 04.05.2012 № 442"
)
FZ_152 = "Федеральный закон от 27.07.2006 № 152-ФЗ «О персональных данных»"
ZPP = "Закон РФ от 07.02.1992 № 2300-1 «О защите прав потребителей»"

ANSWER_59 = (
    "59-ФЗ, ст. 12 ч. 1 и 2\n"
    f"{FZ_59}. Ст. 12 ч. 1: письменное обращение рассматривается в течение 30 дней со дня его регистрации. "
    "Ч. 2: в исключительных случаях срок может быть продлён не более чем на 30 дней с уведомлением гражданина "
    "о продлении срока рассмотрения обращения."
)

RULES = [
    {
        "code": "appeal.request",
        "title": "Ответ на запрос информации",
        "amount": 30, "unit": "calendar_days", "start_event": "registration",
        "legal_basis": ANSWER_59, "extension_allowed": True, "extension_amount": 30,
    },
    {
        "code": "appeal.application",
        "title": "Ответ на заявление",
        "amount": 30, "unit": "calendar_days", "start_event": "registration",
        "legal_basis": ANSWER_59, "extension_allowed": True, "extension_amount": 30,
    },
    {
        "code": "appeal.complaint",
        "title": "Ответ на жалобу",
        "amount": 30, "unit": "calendar_days", "start_event": "registration",
        "legal_basis": ANSWER_59, "extension_allowed": True, "extension_amount": 30,
    },
    {
        "code": "appeal.suggestion",
        "title": "Ответ на предложение",
        "amount": 30, "unit": "calendar_days", "start_event": "registration",
        "legal_basis": ANSWER_59, "extension_allowed": True, "extension_amount": 30,
    },
    {
        "code": "appeal.claim",
        "title": "Ответ на претензию потребителя",
        "amount": 10, "unit": "calendar_days", "start_event": "receipt",
        "legal_basis": (
            "Закон 2300-1, ст. 31 п. 1\n"
            f"{ZPP}. Ст. 31 п. 1: требования потребителя об уменьшении цены, о возврате уплаченной суммы, "
            "о возмещении убытков подлежат удовлетворению в десятидневный срок со дня предъявления требования. "
            "Продление закон не предусматривает."
        ),
    },
    {
        "code": "appeal.complaint", "topic": "billing",
        "title": "Ответ на жалобу по коммунальной услуге (качество, начисления)",
        "amount": 3, "unit": "working_days", "start_event": "receipt",
        "legal_basis": (
            "ПП 354, п. 31 «к»\n"
            f"{PP_354}. П. 31 «к»: исполнитель обязан принимать от потребителей жалобы и претензии, в том числе "
            "о качестве коммунальной услуги и о размере платы, и направлять ответ не позднее 3 рабочих дней "
            "со дня их получения."
        ),
    },
    {
        "code": "appeal.application", "topic": "metering",
        "title": "Проверка индивидуального прибора учёта по заявлению потребителя",
        "amount": 10, "unit": "calendar_days", "start_event": "receipt",
        "legal_basis": (
            "ПП 354, п. 31 «е(2)»\n"
            f"{PP_354}. П. 31 «е(2)»: по заявлению потребителя исполнитель проводит проверку состояния "
            "индивидуального прибора учёта и достоверности переданных показаний в течение 10 дней."
        ),
    },
    {
        "code": "appeal.complaint", "topic": "power_quality",
        "title": "Проверка сообщения о некачественной подаче электроэнергии",
        "amount": 2, "unit": "hours", "start_event": "receipt",
        "legal_basis": (
            "ПП 354, п. 108\n"
            f"{PP_354}. П. 108: время проведения проверки по сообщению потребителя о нарушении качества "
            "коммунальной услуги согласовывается с потребителем, проверка проводится не позднее 2 часов "
            "с момента получения сообщения, если с потребителем не согласовано иное время."
        ),
    },
    {
        "code": "appeal.registration",
        "title": "Регистрация письменного обращения",
        "amount": 3, "unit": "calendar_days", "start_event": "receipt",
        "legal_basis": (
            "59-ФЗ, ст. 8 ч. 2\n"
            f"{FZ_59}. Ст. 8 ч. 2: письменное обращение подлежит обязательной регистрации в течение трёх дней "
            "с момента поступления."
        ),
    },
    {
        "code": "appeal.redirect",
        "title": "Переадресация обращения в компетентную организацию",
        "amount": 7, "unit": "calendar_days", "start_event": "registration",
        "legal_basis": (
            "59-ФЗ, ст. 8 ч. 3\n"
            f"{FZ_59}. Ст. 8 ч. 3: обращение, содержащее вопросы, решение которых не входит в компетенцию "
            "организации, направляется в течение семи дней со дня регистрации в соответствующий орган или "
            "организацию с уведомлением гражданина о переадресации."
        ),
    },
    {
        "code": "contract.application",
        "title": "Договор энергоснабжения по заявлению с полным комплектом документов",
        "amount": 15, "unit": "working_days", "start_event": "receipt",
        "legal_basis": (
            "ПП 442, п. 39\n"
            f"{PP_442}. П. 39: гарантирующий поставщик направляет заявителю подписанный договор в течение "
            "15 рабочих дней со дня получения заявления о заключении договора и полного комплекта документов; "
            "пока документы не представлены, срок не течёт."
        ),
    },
    {
        "code": "pd.subject_request",
        "title": "Ответ на запрос субъекта персональных данных",
        "amount": 10, "unit": "working_days", "start_event": "receipt",
        "extension_allowed": True, "extension_amount": 5,
        "legal_basis": (
            "152-ФЗ, ст. 14 и 20\n"
            f"{FZ_152}. Ст. 14 ч. 3 и ст. 20 ч. 1: сведения предоставляются субъекту в течение 10 рабочих дней "
            "с момента обращения или получения запроса; срок может быть продлён не более чем на 5 рабочих дней "
            "при направлении субъекту мотивированного уведомления с указанием причин продления."
        ),
    },
    {
        "code": "pd.consent_withdrawal",
        "title": "Прекращение обработки и уничтожение данных при отзыве согласия",
        "amount": 30, "unit": "calendar_days", "start_event": "receipt",
        "legal_basis": (
            "152-ФЗ, ст. 21 ч. 5\n"
            f"{FZ_152}. Ст. 21 ч. 5: при отзыве согласия оператор прекращает обработку и уничтожает персональные "
            "данные в срок, не превышающий 30 дней с даты поступления отзыва, если иное основание обработки "
            "не предусмотрено законом или договором."
        ),
    },
]


def seed(apps, schema_editor):
    DeadlineRule = apps.get_model("deadlines", "DeadlineRule")
    for rule in RULES:
        rule = {"topic": "", "extension_allowed": False, "extension_amount": 0, **rule}
        if not DeadlineRule.objects.filter(code=rule["code"], topic=rule["topic"], is_active=True).exists():
            DeadlineRule.objects.create(**rule)


def unseed(apps, schema_editor):
    DeadlineRule = apps.get_model("deadlines", "DeadlineRule")
    for rule in RULES:
        DeadlineRule.objects.filter(code=rule["code"], topic=rule.get("topic", ""), title=rule["title"]).delete()


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0002_seed_production_calendar")]

    operations = [migrations.RunPython(seed, unseed)]
