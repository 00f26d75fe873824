"""Content factories. Saving goes through pages.services so that the search index follows, as in the admin."""

import datetime

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from pages import services
from pages.models import (
    CustomerGroup,
    Document,
    FaqEntry,
    FaqTopic,
    News,
    Office,
    OfficeHours,
    Page,
    TariffPeriod,
    TariffRate,
    TariffZone,
)

PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


SAVE_SERVICES = {
    Page: services.page_save,
    News: services.news_save,
    FaqEntry: services.faq_entry_save,
    Document: services.document_save,
}


class _ServiceFactory(factory.django.DjangoModelFactory):
    """Creates through the content's save service instead of Model.objects.create."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return SAVE_SERVICES[model_class](model_class(*args, **kwargs))


class PageFactory(_ServiceFactory):
    class Meta:
        model = Page

    slug = factory.Sequence(lambda n: f"stranica-{n}")
    title = factory.Sequence(lambda n: f"Страница {n}")
    body = "Текст страницы."
    is_published = True


class NewsFactory(_ServiceFactory):
    class Meta:
        model = News

    title = factory.Sequence(lambda n: f"Новость {n}")
    slug = factory.Sequence(lambda n: f"novost-{n}")
    lead = "Коротко о главном."
    body = "Подробности новости."
    is_published = True
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))


class FaqTopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FaqTopic

    title = factory.Sequence(lambda n: f"Тема {n}")
    slug = factory.Sequence(lambda n: f"tema-{n}")
    appeal_topic = "billing"


class FaqEntryFactory(_ServiceFactory):
    class Meta:
        model = FaqEntry

    topic = factory.SubFactory(FaqTopicFactory)
    question = factory.Sequence(lambda n: f"Вопрос {n}?")
    answer = "Ответ на вопрос."


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Офис {n}")
    address = "г. Энск, ул. Тестовая, д. 2"
    services = "Приём показаний"

    @factory.post_generation
    def weekdays(self, create, extracted, **kwargs):
        if create:
            for weekday in extracted if extracted is not None else range(5):
                OfficeHours.objects.create(
                    office=self, weekday=weekday, opens=datetime.time(9), closes=datetime.time(18)
                )


class DocumentFactory(_ServiceFactory):
    class Meta:
        model = Document

    title = factory.Sequence(lambda n: f"Документ {n}")
    category = Document.Category.FORMS
    file = factory.LazyFunction(lambda: ContentFile(PDF_BYTES, name="test.pdf"))
    content_type = "application/pdf"
    size = len(PDF_BYTES)
    effective_date = datetime.date(2026, 1, 1)


class TariffPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TariffPeriod

    title = factory.Sequence(lambda n: f"Тарифы, период {n}")
    valid_from = datetime.date(2026, 1, 1)
    basis = "Приказ регулятора от 01.12.2025 № 1"
    is_published = True


class TariffRateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TariffRate

    period = factory.SubFactory(TariffPeriodFactory)
    group = CustomerGroup.URBAN
    zone = TariffZone.SINGLE
    price = "6.50"
