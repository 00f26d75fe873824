"""What visitors read: pages, news, FAQ, offices, documents, tariffs, and the search index over them."""

import datetime

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from appeals.models import Appeal

# The contact tokens are markup syntax (pages.markup), the same in every language: kept out of the msgid.
MARKDOWN_HELP = format_lazy(
    _(
        "Разметка Markdown: **жирный**, *курсив*, списки через «-», ссылки [текст](https://…), таблицы. "
        "Заголовки разделов начинайте с «##». HTML-теги, скрипты и стили удаляются. "
        "Контакты компании подставляются сами: {tokens}."
    ),
    tokens="{телефон}, {почта}, {компания}",
)


class Page(models.Model):
    """An information page in a tree; its URL is the chain of slugs from the root."""

    class Key(models.TextChoices):
        # Pages the site links to by their fixed address (home tasks, footer):
        # their slug and place in the tree cannot change and they cannot be deleted.
        READINGS = "readings", _("Как передать показания")
        APPEALS = "appeals", _("Как подать обращение")
        CONTRACT = "contract", _("Как заключить договор")
        PAYMENT = "payment", _("Способы оплаты")
        STANDARD = "standard", _("Стандарт обслуживания")
        PRIVACY = "privacy", _("Политика обработки персональных данных")
        CONTACTS = "contacts", _("Контакты")

    MAX_DEPTH = 8

    parent = models.ForeignKey(
        "self", verbose_name=_("раздел"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    slug = models.SlugField(
        _("адрес"), max_length=80, help_text=_("Латинские буквы, цифры и дефис; часть адреса страницы.")
    )
    path = models.CharField(_("полный адрес"), max_length=500, unique=True, editable=False)
    title = models.CharField(_("заголовок"), max_length=200)
    meta_description = models.CharField(
        _("краткое описание"), max_length=250, blank=True,
        help_text=_("Одна-две фразы для поисковых систем и списков страниц."),
    )  # fmt: skip
    body = models.TextField(_("текст"), blank=True, help_text=MARKDOWN_HELP)
    body_html = models.TextField(editable=False, blank=True)
    is_published = models.BooleanField(
        _("опубликована"), default=False,
        help_text=_("Неопубликованную страницу видят только сотрудники через предпросмотр."),
    )  # fmt: skip
    order = models.PositiveSmallIntegerField(_("порядок"), default=100)
    key = models.CharField(_("служебная страница"), max_length=20, choices=Key.choices, blank=True, editable=False)
    created_at = models.DateTimeField(_("создана"), auto_now_add=True)
    updated_at = models.DateTimeField(_("изменена"), auto_now=True)

    class Meta:
        verbose_name = _("страница")
        verbose_name_plural = _("страницы")
        ordering = ["order", "title"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "slug"], name="pages_page_unique_slug_in_parent"),
            models.UniqueConstraint(
                fields=["slug"], condition=Q(parent__isnull=True), name="pages_page_unique_root_slug"
            ),
            models.UniqueConstraint(fields=["key"], condition=~Q(key=""), name="pages_page_unique_key"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.path = f"{self.parent.path}/{self.slug}" if self.parent_id else self.slug
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        if self.key == self.Key.CONTACTS:
            return reverse("pages:contacts")
        return reverse("pages:page", kwargs={"path": self.path})

    def clean(self):
        ancestor, depth = self.parent, 1
        while ancestor is not None:
            if self.pk and ancestor.pk == self.pk:
                raise ValidationError({"parent": _("Страница не может быть вложена сама в себя.")})
            ancestor, depth = ancestor.parent, depth + 1
        if depth > self.MAX_DEPTH:
            raise ValidationError(
                {"parent": _("Не больше %(depth)d уровней вложенности.") % {"depth": self.MAX_DEPTH}}
            )

    @property
    def ancestor_paths(self) -> list[str]:
        parts = self.path.split("/")
        return ["/".join(parts[:i]) for i in range(1, len(parts))]


class News(models.Model):
    class Kind(models.TextChoices):
        NEWS = "news", _("новость")
        OUTAGE = "outage", _("плановое отключение")

    kind = models.CharField(_("вид"), max_length=10, choices=Kind.choices, default=Kind.NEWS)
    title = models.CharField(_("заголовок"), max_length=200)
    slug = models.SlugField(_("адрес"), max_length=100, unique=True)
    published_at = models.DateTimeField(
        _("дата публикации"), default=timezone.now,
        help_text=_("Новость с датой в будущем появится на сайте в это время."),
    )  # fmt: skip
    is_published = models.BooleanField(_("опубликована"), default=False)
    lead = models.TextField(_("анонс"), max_length=500, help_text=_("Одна-две фразы для списка новостей и ленты."))
    body = models.TextField(_("текст"), blank=True, help_text=MARKDOWN_HELP)
    body_html = models.TextField(editable=False, blank=True)
    image = models.FileField(
        _("изображение"), upload_to="pages/news/%Y/", blank=True,
        help_text=_("JPEG, PNG или WebP до 5 МБ; формат проверяется по содержимому файла."),
    )  # fmt: skip
    image_type = models.CharField(max_length=50, blank=True, editable=False)
    image_alt = models.CharField(
        _("описание изображения"), max_length=200, blank=True,
        help_text=_("Что изображено — для тех, кто не видит картинку."),
    )  # fmt: skip
    outage_starts_at = models.DateTimeField(_("отключение: начало"), null=True, blank=True)
    outage_ends_at = models.DateTimeField(_("отключение: окончание"), null=True, blank=True)
    outage_addresses = models.TextField(
        _("отключение: адреса"), blank=True, help_text=_("По одному адресу или улице с номерами домов на строку.")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("новость")
        verbose_name_plural = _("новости")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["is_published", "-published_at", "-id"], name="pages_news_public_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("pages:news_detail", kwargs={"slug": self.slug})

    def clean(self):
        if self.kind == self.Kind.OUTAGE:
            errors = {}
            if not self.outage_starts_at:
                errors["outage_starts_at"] = _("Укажите, когда начнётся отключение.")
            if not self.outage_ends_at:
                errors["outage_ends_at"] = _("Укажите, когда подачу восстановят.")
            if not self.outage_addresses.strip():
                errors["outage_addresses"] = _("Перечислите адреса, которые отключат.")
            if self.outage_starts_at and self.outage_ends_at and self.outage_ends_at <= self.outage_starts_at:
                errors["outage_ends_at"] = _("Окончание должно быть позже начала.")
            if errors:
                raise ValidationError(errors)
        if self.image and not self.image_alt.strip():
            raise ValidationError({"image_alt": _("Опишите изображение для тех, кто его не видит.")})

    @property
    def is_outage(self):
        return self.kind == self.Kind.OUTAGE

    @property
    def outage_address_lines(self) -> list[str]:
        return [line.strip() for line in self.outage_addresses.splitlines() if line.strip()]


class FaqTopic(models.Model):
    title = models.CharField(_("тема"), max_length=150)
    slug = models.SlugField(_("адрес"), max_length=80, unique=True)
    appeal_topic = models.CharField(
        _("тема обращения"), max_length=20, choices=Appeal.Topic.choices, default=Appeal.Topic.OTHER,
        help_text=_("С этой темой откроется форма обращения по ссылке «Не помогло?»."),
    )  # fmt: skip
    order = models.PositiveSmallIntegerField(_("порядок"), default=100)

    class Meta:
        verbose_name = _("тема вопросов")
        verbose_name_plural = _("темы вопросов")
        ordering = ["order", "title"]

    def __str__(self):
        return self.title


class FaqEntry(models.Model):
    topic = models.ForeignKey(FaqTopic, verbose_name=_("тема"), on_delete=models.PROTECT, related_name="entries")
    question = models.CharField(_("вопрос"), max_length=300)
    answer = models.TextField(_("ответ"), help_text=MARKDOWN_HELP)
    answer_html = models.TextField(editable=False, blank=True)
    is_published = models.BooleanField(_("опубликован"), default=True)
    order = models.PositiveSmallIntegerField(_("порядок"), default=100)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("вопрос и ответ")
        verbose_name_plural = _("вопросы и ответы")
        ordering = ["topic__order", "order", "id"]
        indexes = [models.Index(fields=["is_published", "topic", "order"], name="pages_faq_public_idx")]

    def __str__(self):
        return self.question

    def get_absolute_url(self):
        return f"{reverse('pages:faq')}#q{self.pk}"


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("понедельник")
    TUESDAY = 1, _("вторник")
    WEDNESDAY = 2, _("среда")
    THURSDAY = 3, _("четверг")
    FRIDAY = 4, _("пятница")
    SATURDAY = 5, _("суббота")
    SUNDAY = 6, _("воскресенье")


class Office(models.Model):
    name = models.CharField(_("название"), max_length=150)
    address = models.CharField(_("адрес"), max_length=300)
    phone = models.CharField(_("телефон"), max_length=40, blank=True)
    email = models.EmailField(_("электронная почта"), blank=True)
    services = models.TextField(_("услуги"), blank=True, help_text=_("По одной услуге на строку."))
    note = models.CharField(_("примечание"), max_length=300, blank=True, help_text=_("Как пройти, парковка и т. п."))
    is_published = models.BooleanField(_("показывать на сайте"), default=True)
    order = models.PositiveSmallIntegerField(_("порядок"), default=100)

    class Meta:
        verbose_name = _("офис обслуживания")
        verbose_name_plural = _("офисы обслуживания")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    @property
    def service_lines(self) -> list[str]:
        return [line.strip() for line in self.services.splitlines() if line.strip()]

    def hours_on(self, day: datetime.date):
        """(opens, closes) on that day, or None when closed; needs hours and upcoming_exceptions prefetched."""
        for change in getattr(self, "upcoming_exceptions", ()):
            if change.date == day:
                return None if change.is_closed else (change.opens, change.closes)
        regular = next((hours for hours in self.hours.all() if hours.weekday == day.weekday()), None)
        return (regular.opens, regular.closes) if regular else None

    @property
    def week(self) -> list[dict]:
        """Monday to Sunday with the regular hours or None for a day off (uses prefetched hours)."""
        by_day = {hours.weekday: hours for hours in self.hours.all()}
        return [{"label": label, "hours": by_day.get(value)} for value, label in Weekday.choices]


class _OpeningTimes(models.Model):
    opens = models.TimeField(_("открытие"), null=True, blank=True)
    closes = models.TimeField(_("закрытие"), null=True, blank=True)
    break_starts = models.TimeField(_("перерыв с"), null=True, blank=True)
    break_ends = models.TimeField(_("перерыв до"), null=True, blank=True)

    class Meta:
        abstract = True

    def clean_times(self, required: bool):
        errors = {}
        if required and (self.opens is None or self.closes is None):
            errors["closes"] = _("Укажите время открытия и закрытия.")
        elif self.opens and self.closes and self.closes <= self.opens:
            errors["closes"] = _("Закрытие должно быть позже открытия.")
        if (self.break_starts is None) != (self.break_ends is None):
            errors["break_ends"] = _("Укажите и начало, и конец перерыва — или ни того, ни другого.")
        elif self.break_starts and self.break_ends:
            if self.break_ends <= self.break_starts:
                errors["break_ends"] = _("Конец перерыва должен быть позже начала.")
            elif self.opens and self.closes and not (self.opens < self.break_starts and self.break_ends < self.closes):
                errors["break_starts"] = _("Перерыв должен быть внутри часов работы.")
        if errors:
            raise ValidationError(errors)


class OfficeHours(_OpeningTimes):
    """Regular hours for one weekday; a weekday without a row is a day off."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(_("день недели"), choices=Weekday.choices)

    class Meta:
        verbose_name = _("часы работы")
        verbose_name_plural = _("часы работы по дням недели")
        ordering = ["weekday"]
        constraints = [models.UniqueConstraint(fields=["office", "weekday"], name="pages_officehours_unique_day")]

    def __str__(self):
        return self.get_weekday_display()

    def clean(self):
        self.clean_times(required=True)


class OfficeException(_OpeningTimes):
    """A dated change to the regular hours: a holiday, a shortened pre-holiday day, a working Saturday."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="exceptions")
    date = models.DateField(_("дата"))
    is_closed = models.BooleanField(_("не работает"), default=True)
    reason = models.CharField(_("причина"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("изменение графика")
        verbose_name_plural = _("изменения графика (праздники и переносы)")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["office", "date"], name="pages_officeexception_unique_date")]
        indexes = [models.Index(fields=["date"], name="pages_officeexc_date_idx")]

    def __str__(self):
        return f"{self.date:%d.%m.%Y}"

    def clean(self):
        self.clean_times(required=not self.is_closed)


class Document(models.Model):
    class Category(models.TextChoices):
        TARIFFS = "tariffs", _("Тарифы и цены")
        REGULATIONS = "regulations", _("Нормативные документы и регламенты")
        FORMS = "forms", _("Бланки заявлений")
        DISCLOSURE = "disclosure", _("Раскрытие информации")
        OTHER = "other", _("Другие документы")

    title = models.CharField(_("название"), max_length=250)
    category = models.CharField(_("раздел"), max_length=20, choices=Category.choices)
    description = models.TextField(_("описание"), blank=True, max_length=1000)
    file = models.FileField(
        _("файл"), upload_to="pages/documents/%Y/",
        help_text=_("PDF, DOCX, XLSX, ODT, ODS или RTF до 30 МБ; формат проверяется по содержимому файла."),
    )  # fmt: skip
    content_type = models.CharField(max_length=100, editable=False)
    size = models.PositiveBigIntegerField(editable=False, default=0)
    effective_date = models.DateField(_("действует с"), null=True, blank=True)
    is_published = models.BooleanField(_("опубликован"), default=True)
    uploaded_at = models.DateTimeField(_("загружен"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("документ")
        verbose_name_plural = _("документы")
        ordering = ["category", "-effective_date", "title"]
        indexes = [models.Index(fields=["is_published", "category"], name="pages_document_public_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"{reverse('pages:documents')}?category={self.category}#doc{self.pk}"

    def get_download_url(self):
        return reverse("pages:document_download", kwargs={"pk": self.pk})


class CustomerGroup(models.TextChoices):
    URBAN = "urban", _("Население в городских домах с газовыми плитами")
    URBAN_ELECTRIC = "urban_electric", _("Население в городских домах с электроплитами или электроотоплением")
    RURAL = "rural", _("Население в сельских населённых пунктах")
    EQUIVALENT = "equivalent", _("Категории потребителей, приравненные к населению")


class TariffZone(models.TextChoices):
    SINGLE = "single", _("Одноставочный, круглосуточно")
    DAY = "day", _("Двухзонный: дневная зона (Т1)")
    NIGHT = "night", _("Двухзонный: ночная зона (Т2)")
    PEAK = "peak", _("Трёхзонный: пиковая зона (Т1)")
    SEMI_PEAK = "semi_peak", _("Трёхзонный: полупиковая зона (Т3)")
    NIGHT_3 = "night_3", _("Трёхзонный: ночная зона (Т2)")


class TariffPeriod(models.Model):
    """Prices set by one decision of the regional regulator for a period."""

    title = models.CharField(_("название"), max_length=200, help_text=_("Например: «Тарифы с 1 июля 2026 года»."))
    valid_from = models.DateField(_("действуют с"))
    valid_to = models.DateField(_("действуют по"), null=True, blank=True, help_text=_("Пусто — до новых тарифов."))
    basis = models.CharField(
        _("основание"), max_length=300,
        help_text=_("Решение регулятора: орган, дата и номер приказа или постановления."),
    )  # fmt: skip
    note = models.TextField(_("примечание"), blank=True, max_length=1000)
    is_published = models.BooleanField(
        _("опубликованы"), default=False,
        help_text=_("Публикуйте только значения, сверенные с решением регулятора."),
    )  # fmt: skip

    class Meta:
        verbose_name = _("тарифы на период")
        verbose_name_plural = _("тарифы")
        ordering = ["-valid_from"]
        indexes = [models.Index(fields=["is_published", "-valid_from"], name="pages_tariffperiod_pub_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("pages:tariff_period", kwargs={"pk": self.pk})

    def clean(self):
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("Окончание не может быть раньше начала.")})

    def is_current(self, today: datetime.date) -> bool:
        return self.valid_from <= today and (self.valid_to is None or today <= self.valid_to)


class TariffRate(models.Model):
    period = models.ForeignKey(TariffPeriod, on_delete=models.CASCADE, related_name="rates")
    group = models.CharField(_("группа потребителей"), max_length=20, choices=CustomerGroup.choices)
    zone = models.CharField(_("зона суток"), max_length=20, choices=TariffZone.choices)
    price = models.DecimalField(
        _("цена, руб./кВт·ч с НДС"), max_digits=8, decimal_places=2, validators=[MinValueValidator(0)]
    )

    class Meta:
        verbose_name = _("тариф")
        verbose_name_plural = _("значения тарифов")
        constraints = [
            models.UniqueConstraint(fields=["period", "group", "zone"], name="pages_tariffrate_unique_cell")
        ]

    def __str__(self):
        return f"{self.get_group_display()}, {self.get_zone_display()}"


class SearchEntry(models.Model):
    """One searchable public item; kept in step with the content by pages.search_index."""

    class Kind(models.TextChoices):
        PAGE = "page", _("Страница")
        NEWS = "news", _("Новость")
        FAQ = "faq", _("Вопрос и ответ")
        DOCUMENT = "document", _("Документ")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=300)
    text = models.TextField()
    url = models.CharField(max_length=600)
    # News becomes visible at its publication time; other kinds are visible at once.
    visible_from = models.DateTimeField(null=True, blank=True)
    # Casefolded title and title+text: SQLite's case-insensitive LIKE only folds ASCII.
    folded_title = models.CharField(max_length=300, editable=False)
    folded = models.TextField(editable=False)
    # PostgreSQL only; filled by pages.search_index, GIN-indexed in migration 0002.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="pages_searchentry_unique_item")]

    def __str__(self):
        return self.title
