"""Staff edit the production calendar and the deadline rules here."""

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from audit.admin import HistoryAdmin
from deadlines.calendar import weekdays_in_year
from deadlines.models import CalendarDay, CalendarYear, DeadlineRule
from deadlines.services import calendar_year_prefill_from_package, rule_change_refusal

_WEEKEND = (1, 7)  # Django's week_day lookup: 1 is Sunday, 7 is Saturday


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    fields = ("day", "weekday", "kind", "note")
    readonly_fields = ("weekday",)
    extra = 0
    ordering = ("day",)

    @admin.display(description=_("день недели"))
    def weekday(self, obj):
        return obj.weekday_name if obj.day else ""


class CalendarYearForm(forms.ModelForm):
    prefill = forms.BooleanField(
        label=_("Заполнить праздники и переносы по пакету holidays"),
        required=False,
        help_text=_(
            "Только для нового года без внесённых дней: праздники, перенесённые выходные и рабочие субботы "
            "подставятся из пакета holidays. Сверьте их с постановлением и добавьте сокращённые "
            "предпраздничные дни вручную — пакет их не знает."
        ),
    )

    class Meta:
        model = CalendarYear
        fields = ("year", "decree", "note")


@admin.register(CalendarYear)
class CalendarYearAdmin(HistoryAdmin):
    form = CalendarYearForm
    inlines = [CalendarDayInline]
    list_display = ("year", "decree", "nonworking_count", "working_weekend_count", "shortened_count", "working_days")
    search_fields = ("decree", "note")
    readonly_fields = ("created_at", "updated_at")

    def get_readonly_fields(self, request, obj=None):
        # The days below belong to the year; renumbering it would orphan them.
        return (*self.readonly_fields, "year") if obj else self.readonly_fields

    def get_fieldsets(self, request, obj=None):
        main = ("year", "decree", "note") + (("prefill",) if obj is None else ())
        return [
            (
                None,
                {
                    "fields": main,
                    "description": gettext(
                        "Внесите год, когда опубликовано постановление Правительства о переносе выходных. Ниже "
                        "перечислите все отличия от обычной пятидневки: праздники и перенесённые выходные, "
                        "выпавшие на будни; субботы и воскресенья, ставшие рабочими; сокращённые "
                        "предпраздничные дни. Праздник, выпавший на выходной, вносить не нужно — внесите день, "
                        "на который он перенесён."
                    ),
                },
            ),
            (_("Служебное"), {"fields": ("created_at", "updated_at"), "classes": ("collapse",)}),
        ]

    def get_queryset(self, request):
        kind = CalendarDay.Kind
        return (
            super()
            .get_queryset(request)
            .annotate(
                nonworking_total=Count("days", filter=Q(days__kind=kind.NONWORKING)),
                shortened_total=Count("days", filter=Q(days__kind=kind.SHORTENED)),
                working_weekend_total=Count(
                    "days",
                    filter=Q(days__kind__in=[kind.WORKING, kind.SHORTENED], days__day__week_day__in=_WEEKEND),
                ),
            )
        )

    @admin.display(description=_("нерабочих будней"), ordering="nonworking_total")
    def nonworking_count(self, obj):
        return obj.nonworking_total

    @admin.display(description=_("рабочих выходных"), ordering="working_weekend_total")
    def working_weekend_count(self, obj):
        return obj.working_weekend_total

    @admin.display(description=_("сокращённых дней"), ordering="shortened_total")
    def shortened_count(self, obj):
        return obj.shortened_total

    @admin.display(description=_("рабочих дней в году"))
    def working_days(self, obj):
        # Sanity figure to compare with the published calendar (247 in 2026).
        return weekdays_in_year(obj.year) - obj.nonworking_total + obj.working_weekend_total

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change and form.cleaned_data.get("prefill"):
            if form.instance.days.exists():
                self.message_user(
                    request,
                    gettext("Дни внесены вручную, поэтому пакет holidays не использовался."),
                    messages.WARNING,
                )
                return
            created = calendar_year_prefill_from_package(form.instance)
            if created:
                self.message_user(
                    request,
                    gettext(
                        "Из пакета holidays внесено дней: %(count)s. Сверьте их с постановлением и добавьте "
                        "сокращённые предпраздничные дни."
                    )
                    % {"count": created},
                    messages.WARNING,
                )
            else:
                self.message_user(
                    request,
                    gettext("Пакет holidays не добавил ни одного дня: внесите дни вручную по постановлению."),
                    messages.WARNING,
                )


class CalendarDayForm(forms.ModelForm):
    """A single day outside its year's page: the year row is found from the date."""

    class Meta:
        model = CalendarDay
        fields = ("day", "kind", "note")

    def clean_day(self):
        day = self.cleaned_data["day"]
        calendar_year = CalendarYear.objects.filter(year=day.year).first()
        if calendar_year is None:
            raise forms.ValidationError(
                gettext("Сначала внесите %(year)s год в разделе «Годы производственного календаря».")
                % {"year": day.year}
            )
        self.instance.calendar_year = calendar_year
        return day


@admin.register(CalendarDay)
class CalendarDayAdmin(HistoryAdmin):
    form = CalendarDayForm
    list_display = ("day", "weekday", "kind", "note")
    list_filter = ("kind", "calendar_year")
    date_hierarchy = "day"
    search_fields = ("note",)
    ordering = ("day",)
    list_per_page = 50

    @admin.display(description=_("день недели"))
    def weekday(self, obj):
        return obj.weekday_name


class DeadlineRuleForm(forms.ModelForm):
    class Meta:
        model = DeadlineRule
        fields = (
            "title", "code", "topic", "is_active", "amount", "unit", "start_event", "extension_allowed",
            "extension_amount", "legal_basis",
        )  # fmt: skip
        help_texts = {
            "is_active": _(
                "Отключённое правило не применяется к новым обращениям. Правило отдельной тематики можно отключить: "
                "тогда действует общее правило кода. Единственное общее правило кода отключить нельзя: чтобы "
                "изменить срок, исправьте его в самом правиле."
            ),
        }

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None:
            # The edit as it would be saved, without touching the instance the form saves later.
            candidate = DeadlineRule(pk=self.instance.pk, title=self.instance.title, code=self.instance.code,
                                     topic=self.instance.topic, is_active=self.instance.is_active)
            for name in ("title", "code", "topic", "is_active"):
                if name in cleaned:
                    setattr(candidate, name, cleaned[name])
            refusal = rule_change_refusal(candidate)
            if refusal is not None:
                raise refusal
        return cleaned


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(HistoryAdmin):
    form = DeadlineRuleForm
    list_display = ("title", "code", "topic_or_any", "term_display", "start_event", "extension_display", "is_active")
    list_filter = ("is_active", "unit", "start_event", "extension_allowed", "code")
    search_fields = ("code", "topic", "title", "legal_basis")
    readonly_fields = ("created_at", "updated_at")
    fieldsets = [
        (None, {"fields": ("title", "code", "topic", "is_active")}),
        (_("Срок"), {"fields": ("amount", "unit", "start_event", "extension_allowed", "extension_amount")}),
        (
            _("Правовое основание"),
            {
                "fields": ("legal_basis",),
                "description": _(
                    "Первая строка — краткая ссылка, её видят сотрудники в сообщениях (например «59-ФЗ, ст. 12 ч. 1»); "
                    "дальше — текст нормы."
                ),
            },
        ),
        (_("Служебное"), {"fields": ("created_at", "updated_at"), "classes": ("collapse",)}),
    ]

    @admin.display(description=_("тематика"), ordering="topic")
    def topic_or_any(self, obj):
        return obj.topic or gettext("любая")

    @admin.display(description=_("срок"), ordering="amount")
    def term_display(self, obj):
        return str(obj.term)

    @admin.display(description=_("продление"))
    def extension_display(self, obj):
        return str(obj.extension_term) if obj.extension_term else "—"

    def has_delete_permission(self, request, obj=None):
        # Due dates already computed cite their rule; a rule goes out of use
        # by being switched off, so its history stays.
        return False
