"""Rebuild every search index from the database (live rows only), with a progress bar. On an engine each index is
built anew behind its alias and swapped in atomically (`search.rebuild`): searches keep answering meanwhile."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from modelsearch.management.commands.rebuild_modelsearch_index import group_models_by_index
from tqdm import tqdm
from wagtail.search.backends import get_search_backend

from search.indexing import chunks, index_models, indexed_objects
from search.models import IndexUpdate, IndexUpdateStatus
from search.rebuild import MERGE_SEGMENTS, AliasRebuild

BULK_TIMEOUT = 60.0


class Command(BaseCommand):
    help = "Rebuild the search index from the database and clear pending index updates."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--backend", default="default", help="a WAGTAILSEARCH_BACKENDS name")
        parser.add_argument("--chunk-size", type=int, default=1000)
        parser.add_argument("--workers", type=int, default=2, help="bulk requests in flight (engines only)")
        parser.add_argument(
            "--merge-segments",
            type=int,
            default=MERGE_SEGMENTS,
            help="force-merge the new index to this many segments before the swap (0: no force-merge; engines only)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        backend = get_search_backend(options["backend"], **self._slow_writes(options["backend"]))
        quiet = options["verbosity"] == 0
        started = IndexUpdate.objects.filter(status=IndexUpdateStatus.PENDING).values_list("pk", "generation")
        pending = dict(started)
        for index, models in group_models_by_index(backend, index_models()).items():
            if hasattr(backend, "es"):
                self._rebuild_behind_alias(backend, models, options, quiet)
                continue
            rebuilder = backend.rebuilder_class(index)
            target = rebuilder.start()
            for model in models:
                target.add_model(model)
            for model in models:
                rows = indexed_objects(model)
                with tqdm(total=rows.count(), desc=model._meta.label, unit="obj", disable=quiet) as bar:
                    for batch in chunks(rows, options["chunk_size"]):
                        target.add_items(model, batch)
                        bar.update(len(batch))
            rebuilder.finish()
        for pk, generation in pending.items():
            IndexUpdate.objects.filter(pk=pk, generation=generation).update(status=IndexUpdateStatus.DONE)
        if not quiet:
            self.stdout.write(self.style.SUCCESS("Search index rebuilt."))

    def _rebuild_behind_alias(self, backend: Any, models: list[Any], options: dict[str, Any], quiet: bool) -> None:
        total = sum(indexed_objects(model).count() for model in models)
        desc = ", ".join(model._meta.label for model in models)
        with tqdm(total=total, desc=desc, unit="obj", disable=quiet) as bar:
            rebuild = AliasRebuild(
                backend,
                models,
                chunk_size=options["chunk_size"],
                workers=options["workers"],
                merge_segments=options["merge_segments"] or None,
            )
            result = rebuild.run(progress=bar.update)
        if not quiet:
            self.stdout.write(
                f"{result.alias} -> {result.index}: {result.documents} documents in {result.seconds} s "
                f"(load {result.load_seconds} s, merge {result.merge_seconds} s, {result.reapplied} reapplied)"
            )

    @staticmethod
    def _slow_writes(name: str) -> dict[str, Any]:
        """Bulk writes may take longer than the request path's timeout."""
        config = settings.WAGTAILSEARCH_BACKENDS.get(name, {})
        return {"TIMEOUT": BULK_TIMEOUT} if "URLS" in config else {}
