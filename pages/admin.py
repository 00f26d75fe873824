"""Content editors' workplace. Admin classes are thin: saves and deletes go through pages.services."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from core.uploads import CheckedFile, random_stored_name
from pages import services, uploads, views
from pages.models import (
    Document,
    FaqEntry,
    FaqTopic,
    News,
    Office,
    OfficeException,
    OfficeHours,
    Page,
    TariffPeriod,
    TariffRate,
)


def _renamed(checked: CheckedFile) -> UploadedFile:
    # The stored name never comes from the uploader: a random name with the extension the content shows.
    checked.upload.name = random_stored_name(extension=checked.extension)
    return checked.upload


class PreviewMixin:
    """A "Предпросмотр" button on the change form: renders the form's unsaved data with the public template.

    GET …/<id>/preview/ shows the stored (possibly unpublished) version.
    """

    change_form_template = "admin/pages/change_form_with_preview.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        preview = self.admin_site.admin_view(self.preview_view)
        return [
            path("add/preview/", preview, name="{}_{}_preview_add".format(*info)),
            path("<path:object_id>/preview/", preview, name="{}_{}_preview".format(*info)),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        info = self.opts.app_label, self.opts.model_name
        context["preview_url"] = (
            reverse("admin:{}_{}_preview".format(*info), args=[obj.pk], current_app=self.admin_site.name)
            if obj is not None and obj.pk
            else reverse("admin:{}_{}_preview_add".format(*info), current_app=self.admin_site.name)
        )
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    @method_decorator(never_cache)
    def preview_view(self, request, object_id=None):
        obj = None
        if object_id is not None:
            obj = self.get_object(request, object_id)
            if obj is None:
                raise Http404
            if not self.has_view_or_change_permission(request, obj):
                raise PermissionDenied
        elif not self.has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            form_class = self.get_form(request, obj, change=obj is not None)
            form = form_class(request.POST, request.FILES, instance=obj)
            if not form.is_valid():
                context = {
                    **self.admin_site.each_context(request),
                    "title": _("Предпросмотр невозможен"),
                    "form": form,
                    "opts": self.opts,
                }
                return TemplateResponse(request, "admin/pages/preview_errors.html", context, status=400)
            obj = form.save(commit=False)
        elif obj is None:
            raise Http404
        response = self.render_preview(request, obj)
        response["X-Robots-Tag"] = "noindex"
        return response


class PageAdminForm(forms.ModelForm):
    class Meta:
        model = Page
        fields = ["parent", "slug", "title", "meta_description", "body", "is_published", "order"]
        widgets = {"body": forms.Textarea(attrs={"rows": 24}), "meta_description": forms.Textarea(attrs={"rows": 2})}


@admin.register(Page)
class PageAdmin(PreviewMixin, admin.ModelAdmin):
    form = PageAdminForm
    list_display = ["title", "path", "is_published", "order", "updated_at"]
    list_filter = ["is_published"]
    list_editable = ["order"]
    search_fields = ["title", "path"]
    ordering = ["path"]
    list_select_related = ["parent"]
    readonly_fields = ["path", "key", "updated_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.key:
            # The site links to these pages by their address.
            return [*self.readonly_fields, "parent", "slug"]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.key:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        services.page_save(obj)

    def delete_model(self, request, obj):
        services.page_delete(obj)

    def delete_queryset(self, request, queryset):
        for page in queryset.filter(key="").order_by("-path"):
            services.page_delete(page)

    def render_preview(self, request, page):
        removed = services.markdown_render(page)
        ancestors = []
        parent = page.parent
        while parent is not None:
            ancestors.insert(0, parent)
            parent = parent.parent
        page.path = "/".join([*(a.slug for a in ancestors), page.slug])
        return views.render_page_preview(request, page, ancestors, removed)


class NewsAdminForm(forms.ModelForm):
    class Meta:
        model = News
        fields = [
            "kind", "title", "slug", "published_at", "is_published", "lead", "body", "image", "image_alt",
            "outage_starts_at", "outage_ends_at", "outage_addresses",
        ]  # fmt: skip
        widgets = {"body": forms.Textarea(attrs={"rows": 18}), "lead": forms.Textarea(attrs={"rows": 3})}

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if isinstance(image, UploadedFile):
            checked = uploads.NEWS_IMAGE.check(image)
            self.instance.image_type = checked.content_type
            return _renamed(checked)
        if not image:
            self.instance.image_type = ""
        return image


@admin.register(News)
class NewsAdmin(PreviewMixin, admin.ModelAdmin):
    form = NewsAdminForm
    list_display = ["title", "kind", "published_at", "is_published"]
    list_filter = ["kind", "is_published"]
    search_fields = ["title", "lead"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    fieldsets = [
        (None, {"fields": ["kind", "title", "slug", "published_at", "is_published", "lead", "body"]}),
        (_("Изображение"), {"fields": ["image", "image_alt"]}),
        (
            _("Плановое отключение"),
            {
                "fields": ["outage_starts_at", "outage_ends_at", "outage_addresses"],
                "description": _(
                    "Заполняется для вида «плановое отключение». По правилам о качестве электроэнергии "
                    "о плановых работах предупреждают не позднее чем за месяц."
                ),
            },
        ),
    ]

    def save_model(self, request, obj, form, change):
        services.news_save(obj)

    def delete_model(self, request, obj):
        services.news_delete(obj)

    def delete_queryset(self, request, queryset):
        for news in queryset:
            services.news_delete(news)

    def render_preview(self, request, news):
        removed = services.markdown_render(news)
        return views.render_news_preview(request, news, removed)


@admin.register(FaqTopic)
class FaqTopicAdmin(admin.ModelAdmin):
    list_display = ["title", "appeal_topic", "order"]
    list_editable = ["order"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(FaqEntry)
class FaqEntryAdmin(admin.ModelAdmin):
    list_display = ["question", "topic", "is_published", "order"]
    list_filter = ["topic", "is_published"]
    list_editable = ["order"]
    list_select_related = ["topic"]
    search_fields = ["question"]
    fields = ["topic", "question", "answer", "is_published", "order"]

    def save_model(self, request, obj, form, change):
        services.faq_entry_save(obj)

    def delete_model(self, request, obj):
        services.faq_entry_delete(obj)

    def delete_queryset(self, request, queryset):
        for entry in queryset:
            services.faq_entry_delete(entry)


class OfficeHoursInline(admin.TabularInline):
    model = OfficeHours
    extra = 0
    max_num = 7
    fields = ["weekday", "opens", "closes", "break_starts", "break_ends"]


class OfficeExceptionInline(admin.TabularInline):
    model = OfficeException
    extra = 1
    fields = ["date", "is_closed", "opens", "closes", "break_starts", "break_ends", "reason"]
    verbose_name_plural = _("Изменения графика: праздники, сокращённые и рабочие дни (дни без изменений не вносите)")


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "address", "phone", "is_published", "order"]
    list_editable = ["order"]
    search_fields = ["name", "address"]
    inlines = [OfficeHoursInline, OfficeExceptionInline]


class DocumentAdminForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = ["title", "category", "description", "file", "effective_date", "is_published"]

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if isinstance(file, UploadedFile):
            checked = uploads.DOCUMENT_FILE.check(file)
            self.instance.content_type = checked.content_type
            self.instance.size = checked.size
            return _renamed(checked)
        return file


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    form = DocumentAdminForm
    list_display = ["title", "category", "effective_date", "is_published", "uploaded_at"]
    list_filter = ["category", "is_published"]
    search_fields = ["title"]
    date_hierarchy = "effective_date"

    def save_model(self, request, obj, form, change):
        services.document_save(obj)

    def delete_model(self, request, obj):
        services.document_delete(obj)

    def delete_queryset(self, request, queryset):
        for document in queryset:
            services.document_delete(document)


class TariffRateInline(admin.TabularInline):
    model = TariffRate
    extra = 0
    fields = ["group", "zone", "price"]


@admin.register(TariffPeriod)
class TariffPeriodAdmin(admin.ModelAdmin):
    list_display = ["title", "valid_from", "valid_to", "is_published"]
    list_filter = ["is_published"]
    inlines = [TariffRateInline]
    fieldsets = [
        (
            None,
            {
                "fields": ["title", "valid_from", "valid_to", "basis", "note", "is_published"],
                "description": _(
                    "Цены вносятся строго по решению регионального регулятора (органа тарифного регулирования) "
                    "и сверяются с ним до публикации. Прежние периоды не удаляйте: они остаются в архиве на сайте."
                ),
            },
        )
    ]
