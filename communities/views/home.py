from django.shortcuts import render

from ..policy import SELF, guard
from ..selectors.home import home_for


@guard(SELF)
def home(request):
    return render(request, "communities/home.html", home_for(user=request.user))
