"""The AppConfig every Linli app builds on. When Django is ready it plugs the app into the registries the lower
layers own, from modules found by name, so that no app writes its own ready():

- `<app>/jobs.py` with `JOBS = {"<app>.<job>": fn}`: each job is registered with `core.jobs` for `linli worker`;
- `<app>/contributions.py` with `register()`: called once, to add the app's entries to a lower app's registries
  (a grid's profile and page, import and export kinds …);
- `<app>/waiting.py` with `TODOS = [core.todo.Todo(...), ...]`: the kinds of work the app hands out, named on a
  member of staff's home with how many wait for them (`core.todo`).

Subclass it through the module (`from linli.core import appconfig`, `class XConfig(appconfig.LinliAppConfig)`):
Django takes an app's config from the single AppConfig subclass its apps.py holds, and an imported class would
make two.
"""

from __future__ import annotations

from importlib import import_module

from django.apps import AppConfig
from django.utils.module_loading import module_has_submodule

from . import jobs, todo


class LinliAppConfig(AppConfig):
    def ready(self) -> None:
        if module_has_submodule(self.module, "jobs"):
            for name, func in import_module(f"{self.name}.jobs").JOBS.items():
                jobs.register(name, func)
        if module_has_submodule(self.module, "contributions"):
            import_module(f"{self.name}.contributions").register()
        if module_has_submodule(self.module, "waiting"):
            for entry in import_module(f"{self.name}.waiting").TODOS:
                todo.register(entry)
