from .accounts import ImportForm, PreferencesForm, RegistrationCommunityForm, RejectForm, ResidentSignupForm  # noqa: F401
from .signin import LoginForm  # noqa: F401
from .cases import (  # noqa: F401
    BulkDispatchForm, CaseFileForm, CaseFileOnBehalfForm, CaseFilterForm, DispatchForm, FixedForm, MergeForm, NoteForm, OptionalNoteForm, RateForm,
    ReferForm, VerifyPassForm,
)
from .routing import CategoryFormSet, RoutingRuleFormSet  # noqa: F401
