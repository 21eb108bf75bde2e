"""The squashed migrations take a database at the old head as applied (docs/architecture.md, "Migrations").

`AT_OLD_HEAD` is what `django_migrations` holds for Linli's apps in a database migrated with the history before
the second squash (commit eb3a9f03), whether it was made fresh from that history or had run the one before the
first squash and been upgraded: the first squash recorded its replaced names and then its own. A squashed
migration counts as applied only if every name it `replaces` is recorded, and one with some but not all recorded
drops out of the graph, so a wrong list would leave that app's tables unmigrated without a word. A migration made
after the squash (neither recorded at the old head nor a squash) is what such a database applies, and only that."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

AT_OLD_HEAD = {
    "accounts": ["0001_initial", "0001_squashed_0004_api_token", "0002_initial", "0003_grid_roles",
                 "0003_householdclaim", "0004_api_token", "0004_property_staff_role", "0005_verbose_names"],
    "appeals": ["0001_initial", "0001_squashed_0005_appeal_updated_index", "0002_default_taxonomy_and_deadlines",
                "0003_contact_breach", "0003_total_deadline", "0004_duplicates_and_monthly_topics",
                "0004_part_deadlines", "0005_appeal_updated_index", "0005_catalogue_review",
                "0006_resident_follow_voice", "0007_appeal_split", "0008_idempotency_records",
                "0009_appeal_duplicates_pending", "0010_verbose_names", "0011_callback_attempts",
                "0012_disclosure_withheld"],
    "care": ["0001_care", "0002_services_alerts_children_legal_aid_rota", "0003_service_served_at",
             "0004_visitors_reassessment_hours", "0005_verbose_names", "0006_contact_outcome_attempts",
             "0007_assessment_circumstances"],
    "cobuild": ["0001_cobuild", "0002_milestones_commitments_stars_hours", "0003_fund_project_accounts_and_balances",
                "0004_wish_withdrawn"],
    "core": ["0001_initial", "0001_squashed_0004_snapshot_version", "0002_outboxmessage_notification",
             "0003_calendar_override", "0004_snapshot_version"],
    "dashboard": ["0001_initial", "0001_squashed_0003_grid_rollup", "0002_year_grain", "0003_grid_rollup"],
    "deliberation": ["0001_meetings_hall_votes", "0002_followups_ranking_survey_escalation",
                     "0003_survey_questions_topic_followers", "0004_vote_voter_per_resident",
                     "0005_agenda_source_visit", "0006_participant_invited_by", "0007_verbose_names"],
    "party": ["0001_initial", "0001_squashed_0002_party_tables", "0002_party_tables", "0002_party_usable",
              "0003_points_stars", "0004_verbose_names", "0005_star_self_assessment", "0006_star_reminders"],
    "places": ["0001_initial", "0002_activities_and_subscriptions"],
    "sensors": ["0001_initial", "0002_delivered_message_ids", "0003_alarm_clear_sent_at", "0004_device_is_demo",
                "0005_alarm_event_order"],
    "territory": ["0001_initial", "0001_squashed_0002_party_moves_to_its_own_app", "0002_living_register",
                  "0002_party_moves_to_its_own_app", "0003_roads", "0004_venues_visits_imports", "0005_verbose_names",
                  "0006_verbose_names"],
    "triage": ["0001_initial", "0002_encoder_refinement"],
    "volunteers": ["0001_volunteers", "0002_call_to_action", "0003_points_store_honours", "0004_activity_photos",
                   "0005_call_called_by", "0006_team_description", "0007_team_join_requests"],
}  # fmt: skip


def _since_the_squash(loader: MigrationLoader) -> set[tuple[str, str]]:
    """The migrations made after the squash: on disk, not recorded at the old head, replacing nothing."""
    return {
        (label, name)
        for (label, name), migration in loader.disk_migrations.items()
        if label in AT_OLD_HEAD and name not in AT_OLD_HEAD[label] and not migration.replaces
    }


def test_every_name_at_the_old_head_is_a_migration_on_disk_or_replaced_by_exactly_one() -> None:
    loader = MigrationLoader(None, replace_migrations=False)
    since = _since_the_squash(loader)
    for app, recorded in AT_OLD_HEAD.items():
        on_disk = {
            name: migration for (label, name), migration in loader.disk_migrations.items() if label == app
        }
        replaced = [
            name for migration in on_disk.values() for label, name in migration.replaces if label == app
        ]
        assert len(replaced) == len(set(replaced)), app
        kept = {name for name in on_disk if name in recorded}
        assert set(replaced) | kept == set(recorded), app
        squashed = sorted(name for name in on_disk if (app, name) not in since)
        assert len(squashed) <= 2, f"{app} has {squashed}"


@pytest.mark.django_db
def test_a_database_at_the_old_head_has_nothing_to_apply() -> None:
    recorder = MigrationRecorder(connection)
    recorder.migration_qs.filter(app__in=AT_OLD_HEAD).delete()
    for app, names in AT_OLD_HEAD.items():
        for name in names:
            recorder.record_applied(app, name)
    executor = MigrationExecutor(connection)
    graph = executor.loader.graph
    since = _since_the_squash(executor.loader)
    ours = [key for key in graph.nodes if key[0] in AT_OLD_HEAD and key not in since]
    assert ours and all(key in executor.loader.applied_migrations for key in ours)
    assert set(executor.loader.replacements) <= set(graph.nodes)
    planned = {
        (migration.app_label, migration.name) for migration, _ in executor.migration_plan(graph.leaf_nodes())
    }
    assert planned == since


def _recorded_only(names: dict[str, list[str]]) -> None:
    recorder = MigrationRecorder(connection)
    recorder.migration_qs.filter(app__in=AT_OLD_HEAD).delete()
    for app, recorded in names.items():
        for name in recorded:
            recorder.record_applied(app, name)


@pytest.mark.django_db
def test_migrate_refuses_a_database_stopped_half_way_through_a_squashed_history() -> None:
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    from linli.core.checks import squash_half_applied

    _recorded_only({**AT_OLD_HEAD, "care": AT_OLD_HEAD["care"][:4]})
    problems = squash_half_applied(databases=["default"])
    assert [p.id for p in problems] == ["linli.E001"]
    assert "care" in problems[0].msg and "0005_verbose_names" in problems[0].msg
    assert "请先用合并之前的 Linli 版本完成迁移" in problems[0].msg
    with pytest.raises(SystemCheckError, match="0001_squashed_0007_assessment_circumstances"):
        call_command("migrate", verbosity=0, skip_checks=False)


@pytest.mark.django_db
def test_a_database_at_the_old_head_or_fresh_passes_the_half_way_check() -> None:
    from linli.core.checks import squash_half_applied

    _recorded_only(AT_OLD_HEAD)
    assert squash_half_applied(databases=["default"]) == []
    _recorded_only({})  # none of Linli's apps migrated yet (Django's own are)
    assert squash_half_applied(databases=["default"]) == []
    assert squash_half_applied(databases=None) == []


@pytest.mark.django_db
def test_a_squash_recorded_with_some_of_its_replaced_names_missing_is_refused_too() -> None:
    # Django drops such a squash from the graph as it drops one half-applied.
    from linli.core.checks import squash_half_applied

    _recorded_only(
        {**AT_OLD_HEAD, "care": [*AT_OLD_HEAD["care"][:4], "0001_squashed_0007_assessment_circumstances"]}
    )
    assert [p.id for p in squash_half_applied(databases=["default"])] == ["linli.E001"]
