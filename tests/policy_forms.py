"""The check both policy-form tests run (core and landlords): for every object of the world and every persona,
``can`` and ``scope`` agree, and the world tells allowed from refused at least once."""
from communities import policy


def assert_can_and_scope_agree(*, action, models, world):
    for model in models:
        objects = list(model.objects.all())
        assert objects, f"the world has no {model.__name__}"
        granted = set()
        for obj in objects:
            for user in world:
                allowed = policy.can(user, action, obj)
                listed = policy.scope(user, action, model.objects.filter(pk=obj.pk)).exists()
                assert allowed == listed, (action, model.__name__, obj.pk, user.username, allowed)
                granted.add(allowed)
        assert granted == {True, False}, (action, model.__name__, "the world tells nothing apart")
