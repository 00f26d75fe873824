"""The public site. Views parse input, call one selector or service, and render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe
from django_ratelimit.decorators import ratelimit

from accounts.security import client_ip, ratelimit_ip_key
from appeals.models import Appeal
from appeals.selectors import appeal_for_visitor
from appeals.services import appeal_submit_for_visitor
from core.forms import add_service_error
from pages import search, selectors
from pages.forms import SearchForm, StatusCheckForm, VisitorQuestionForm
from pages.models import Document, News, Page
from pages.sitemaps import SITEMAPS

NEWS_PER_PAGE = 10
DOCUMENTS_PER_PAGE = 25
SEARCH_PER_PAGE = 10
HOME = (gettext_lazy("Главная"), "/")


def _crumbs(*items):
    """Breadcrumbs from the home page; the last item is the current page (no link)."""
    return [(str(label), url) for label, url in [HOME, *items]]


def _page_of(request, object_list, per_page):
    return Paginator(object_list, per_page).get_page(request.GET.get("page"))


@require_safe
def home(request):
    return render(
        request,
        "pages/home.html",
        {
            "title": _("Главная"),
            "description": _("Передать показания, подать обращение, заключить договор энергоснабжения онлайн."),
            "news": selectors.latest_news(),
            "breadcrumbs": [],
        },
    )


@require_safe
def info_index(request):
    return render(
        request,
        "pages/info_index.html",
        {
            "title": _("Информация для клиентов"),
            "sections": selectors.root_pages_with_children(),
            "breadcrumbs": _crumbs((_("Информация для клиентов"), None)),
        },
    )


@require_safe
def page_detail(request, path):
    page, ancestors = selectors.page_with_ancestors(path)
    if page.key == Page.Key.CONTACTS:
        return redirect("pages:contacts", permanent=True)
    return _render_page(request, page, ancestors, children=selectors.page_children(page))


def _render_page(request, page, ancestors, children=(), preview=False, removed=()):
    crumbs = [(_("Информация для клиентов"), reverse("pages:info"))]
    crumbs += [(a.title, a.get_absolute_url()) for a in ancestors]
    crumbs.append((page.title, None))
    return render(
        request,
        "pages/page_detail.html",
        {
            "page": page,
            "og_type": "article",
            "title": page.title,
            "description": page.meta_description,
            "children": children,
            "preview": preview,
            "removed_markup": removed,
            "breadcrumbs": _crumbs(*crumbs),
        },
    )


def render_page_preview(request, page, ancestors, removed=()):
    """The admin's preview of a page that may be unsaved or unpublished, with what the sanitiser removed."""
    return _render_page(request, page, ancestors, preview=True, removed=removed)


def render_news_preview(request, news, removed=()):
    return _render_news(request, news, preview=True, removed=removed)


@require_safe
def news_list(request):
    kind = request.GET.get("kind", "")
    if kind not in News.Kind.values:
        kind = ""
    news_page = _page_of(request, selectors.published_news(kind=kind), NEWS_PER_PAGE)
    return render(
        request,
        "pages/news_list.html",
        {
            "title": _("Новости"),
            "description": _("Новости компании и плановые отключения электроэнергии."),
            "kind": kind,
            "kind_query": f"kind={kind}&" if kind else "",
            "news_page": news_page,
            "breadcrumbs": _crumbs((_("Новости"), None)),
        },
    )


@require_safe
def news_detail(request, slug):
    news = selectors.news_by_slug(slug)
    return _render_news(request, news)


def _render_news(request, news, preview=False, removed=()):
    return render(
        request,
        "pages/news_detail.html",
        {
            "news": news,
            "og_type": "article",
            "title": news.title,
            "description": news.lead,
            "preview": preview,
            "removed_markup": removed,
            "breadcrumbs": _crumbs((_("Новости"), reverse("pages:news_list")), (news.title, None)),
        },
    )


@require_safe
def news_image(request, slug):
    news = selectors.news_with_image(slug)
    response = FileResponse(_open_or_404(news.image), content_type=news.image_type)
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "public, max-age=86400"
    return response


@require_safe
def faq(request):
    form = SearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    terms = search.query_terms(query)
    entry_ids = None
    if query:
        matching = search.search_entries(terms, kinds=[search.SearchEntry.Kind.FAQ])
        entry_ids = list(matching.values_list("object_id", flat=True)[:200])
    return render(
        request,
        "pages/faq.html",
        {
            "title": _("Вопросы и ответы"),
            "description": _("Ответы на частые вопросы о показаниях, оплате, договорах и личном кабинете."),
            "form": form,
            "query": query,
            "topics": selectors.faq_topics(entry_ids),
            "breadcrumbs": _crumbs((_("Вопросы и ответы"), None)),
        },
    )


@require_safe
def offices(request):
    return render(
        request,
        "pages/offices.html",
        {
            "title": _("Офисы обслуживания"),
            "description": _("Адреса, телефоны и часы работы офисов обслуживания клиентов."),
            "offices": selectors.offices(),
            "breadcrumbs": _crumbs((_("Офисы обслуживания"), None)),
        },
    )


@require_safe
def documents(request):
    category = request.GET.get("category", "")
    if category not in Document.Category.values:
        category = ""
    documents_page = _page_of(request, selectors.published_documents(category), DOCUMENTS_PER_PAGE)
    return render(
        request,
        "pages/documents.html",
        {
            "title": _("Документы"),
            "description": _("Тарифы, регламенты, бланки заявлений и другие документы компании."),
            "categories": Document.Category.choices,
            "category": category,
            "category_query": f"category={category}&" if category else "",
            "documents_page": documents_page,
            "breadcrumbs": _crumbs((_("Документы"), None)),
        },
    )


@require_safe
def document_download(request, pk):
    document = selectors.document_for_download(pk)
    extension = document.file.name.rsplit(".", 1)[-1].lower()
    filename = f"{slugify(document.title, allow_unicode=True) or 'document'}.{extension}"
    return FileResponse(
        _open_or_404(document.file), as_attachment=True, filename=filename, content_type=document.content_type
    )


def _open_or_404(field_file):
    # A file lost from storage (a restore without media) is a missing page, not a server error.
    try:
        return field_file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error


@require_safe
def tariffs(request):
    current = selectors.current_tariff_period()
    return render(
        request,
        "pages/tariffs.html",
        {
            "title": _("Тарифы на электроэнергию"),
            "description": _("Действующие тарифы для населения по зонам суток и архив прежних тарифов."),
            "period": current,
            "table": selectors.tariff_table(current) if current else None,
            "periods": selectors.tariff_periods(),
            "today": timezone.localdate(),
            "breadcrumbs": _crumbs((_("Тарифы"), None)),
        },
    )


@require_safe
def tariff_period(request, pk):
    period = selectors.tariff_period(pk)
    return render(
        request,
        "pages/tariff_period.html",
        {
            "title": period.title,
            "period": period,
            "table": selectors.tariff_table(period),
            "today": timezone.localdate(),
            "breadcrumbs": _crumbs((_("Тарифы"), reverse("pages:tariffs")), (period.title, None)),
        },
    )


@require_safe
def site_search(request):
    form = SearchForm(request.GET)
    query, problem, results_page, hits = "", "", None, []
    if not form.is_valid():
        problem = "invalid"  # the field's own message says why
    else:
        query = form.cleaned_data["q"].strip()
        terms = search.query_terms(query)
        if not query:
            problem = "empty"
        elif not terms:
            problem = "no_words"
        else:
            results_page = _page_of(request, search.search_entries(terms), SEARCH_PER_PAGE)
            hits = search.hits(results_page.object_list, terms)
    return render(
        request,
        "pages/search.html",
        {
            "title": _("Поиск по сайту"),
            "form": form,
            "query": query,
            "problem": problem,
            "results_page": results_page,
            "hits": hits,
            "search_query": urlencode({"q": query}) + "&",
            "noindex": True,
            "breadcrumbs": _crumbs((_("Поиск"), None)),
        },
    )


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /cabinet/",
        "Disallow: /appeals/",
        "Disallow: /search/",
        "Disallow: /contacts/status/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
def sitemap(request):
    return sitemap_view(request, sitemaps=SITEMAPS, template_name="pages/sitemap.xml")


def _question_rate(group, request):
    return settings.PAGES_QUESTION_RATE


def _status_check_rate(group, request):
    return settings.PAGES_STATUS_CHECK_RATE


def _contacts_context(**extra):
    return {
        "title": _("Контакты"),
        "description": _("Телефон, электронная почта и офисы компании; вопрос без регистрации."),
        "page": selectors.page_by_key(Page.Key.CONTACTS),
        "offices": selectors.offices(),
        "breadcrumbs": _crumbs((_("Контакты"), None)),
        **extra,
    }


@require_http_methods(["GET", "HEAD", "POST"])
@ratelimit(key=ratelimit_ip_key, rate=_question_rate, method="POST", block=False)
def contacts(request):
    """Contacts and the question form for visitors without an account."""
    status = 200
    if request.method == "POST":
        form = VisitorQuestionForm(request.POST)
        if getattr(request, "limited", False):
            form.add_error(None, _("Слишком много вопросов с вашего адреса. Попробуйте через час или позвоните нам."))
            status = 429
        elif form.is_valid():
            data = form.cleaned_data
            try:
                appeal = appeal_submit_for_visitor(
                    name=data["name"], email=data["email"], phone=data["phone"], subject=data["subject"],
                    text=data["text"], topic=data["topic"], ip_address=client_ip(request),
                    idempotency_key=data["idempotency_key"],
                )  # fmt: skip
            except ValidationError as error:
                add_service_error(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "Вопрос зарегистрирован под номером %(number)s. Ответ придёт на %(email)s не позднее "
                        "%(due)s. Статус можно проверить по номеру и адресу почты в разделе «Статус обращения»."
                    )
                    % {
                        "number": appeal.number,
                        "email": data["email"],
                        "due": date_format(timezone.localtime(appeal.due_at), "j E Y") if appeal.due_at else "—",
                    },
                )
                return redirect(f"{reverse('pages:contacts')}#question")
        if form.errors:
            status = status if status != 200 else 400
    else:
        topic = request.GET.get("topic", "")
        form = VisitorQuestionForm(initial={"topic": topic} if topic in Appeal.Topic.values else None)
    return render(request, "pages/contacts.html", _contacts_context(form=form), status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@ratelimit(key=ratelimit_ip_key, rate=_status_check_rate, method="POST", block=False)
def appeal_status(request):
    """A visitor checks an appeal by its number and the email it was filed with."""
    appeal, checked, status = None, False, 200
    if request.method == "POST":
        form = StatusCheckForm(request.POST)
        if getattr(request, "limited", False):
            form.add_error(None, _("Слишком много проверок с вашего адреса. Попробуйте через час."))
            status = 429
        elif form.is_valid():
            checked = True
            appeal = appeal_for_visitor(number=form.cleaned_data["number"], email=form.cleaned_data["email"])
        else:
            status = 400
    else:
        form = StatusCheckForm()
    response = render(
        request,
        "pages/appeal_status.html",
        {
            "title": _("Статус обращения"),
            "form": form,
            "appeal": appeal,
            "checked": checked,
            "noindex": True,
            "breadcrumbs": _crumbs((_("Контакты"), reverse("pages:contacts")), (_("Статус обращения"), None)),
        },
        status=status,
    )
    response["Cache-Control"] = "no-store"
    return response
