"""Factories for people and organisations. Build richer state through services."""

import factory
from django.utils import timezone

from accounts.models import Membership, Organisation, User

DEFAULT_PASSWORD = "Tr0ubadour-Enerģija-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.ru")
    last_name = factory.Faker("last_name", locale="ru_RU")
    first_name = factory.Faker("first_name", locale="ru_RU")
    email_confirmed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or DEFAULT_PASSWORD)
        if create:
            self.save(update_fields=["password"])


class StaffFactory(UserFactory):
    is_staff = True


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    kind = Organisation.Kind.LEGAL_ENTITY
    name = factory.Sequence(lambda n: f"ООО «Ромашка-{n}»")
    # Valid checksums are the validators' concern; factories only need uniqueness.
    inn = factory.Sequence(lambda n: f"77{n:08d}")
    kpp = "770701001"
    ogrn = factory.Sequence(lambda n: f"10277{n:08d}")
    legal_address = "г. Москва, ул. Примерная, д. 1"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.MEMBER
