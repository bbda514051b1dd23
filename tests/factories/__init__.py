"""The one way tests build data: a factory-boy factory for every model of the project's apps, one module per app.

Import them from here (``from tests.factories import CitizenFactory, SlotFactory``). A small world built with
them, shared by the tests that need a clinic, is ``tests/world.py`` (the ``world`` fixture).
``tests/test_factories.py`` fails when a model of the project has no factory here.
"""

from tests.factories.addressregistry import (
    PRACTITIONER_PROCESSES,
    RESOURCE,
    OrganisationFactory,
    ProcessChangeFactory,
    ServiceFactory,
    ServiceProcessFactory,
)
from tests.factories.audit import AuditEventFactory
from tests.factories.booking import (
    AppointmentFactory,
    CampaignRecipientFactory,
    InvitationCampaignFactory,
    SlotHoldFactory,
    TimeRequestFactory,
    VideoSignalFactory,
)
from tests.factories.citizens import CitizenFactory, RepresentationFactory
from tests.factories.core import LoginThrottleFactory
from tests.factories.dialogues import (
    DialogueFactory,
    DialogueRouteFactory,
    JournalEntryFactory,
    PrescriptionFactory,
    RoutingAbsenceFactory,
    RoutingRecipientFactory,
    RoutingSettingFactory,
    StaffReadFactory,
)
from tests.factories.inbox import AttachmentFactory, InboxMessageFactory, ThreadFactory
from tests.factories.notifications import NotificationFactory
from tests.factories.resourcebooks import (
    ClinicSettingsFactory,
    LocationFactory,
    PatientBlockFactory,
    PractitionerFactory,
    PractitionerTimebookFactory,
    SlotFactory,
    StaffGroupFactory,
    StaffMembershipFactory,
    TimebookFactory,
    TimebookListEntryFactory,
    TimeTypeFactory,
    VikarAssignmentFactory,
    WeekTemplateFactory,
)
from tests.factories.users import NO_PASSWORD, UserFactory

__all__ = [
    "NO_PASSWORD",
    "PRACTITIONER_PROCESSES",
    "RESOURCE",
    "AppointmentFactory",
    "AttachmentFactory",
    "AuditEventFactory",
    "CampaignRecipientFactory",
    "CitizenFactory",
    "ClinicSettingsFactory",
    "DialogueFactory",
    "DialogueRouteFactory",
    "InboxMessageFactory",
    "InvitationCampaignFactory",
    "JournalEntryFactory",
    "LocationFactory",
    "LoginThrottleFactory",
    "NotificationFactory",
    "OrganisationFactory",
    "PatientBlockFactory",
    "PractitionerFactory",
    "PractitionerTimebookFactory",
    "PrescriptionFactory",
    "ProcessChangeFactory",
    "RepresentationFactory",
    "RoutingAbsenceFactory",
    "RoutingRecipientFactory",
    "RoutingSettingFactory",
    "ServiceFactory",
    "ServiceProcessFactory",
    "SlotFactory",
    "SlotHoldFactory",
    "StaffGroupFactory",
    "StaffMembershipFactory",
    "StaffReadFactory",
    "ThreadFactory",
    "TimeRequestFactory",
    "TimeTypeFactory",
    "TimebookFactory",
    "TimebookListEntryFactory",
    "UserFactory",
    "VideoSignalFactory",
    "VikarAssignmentFactory",
    "WeekTemplateFactory",
]
