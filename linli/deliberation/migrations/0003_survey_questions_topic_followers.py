import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

# The questions every meeting asked before the secretary could set them (the old fixed survey), in Chinese.
OLD = {
    "carried_out": "落实情况是否符合会议决定？",
    "informed": "落实过程中是否及时公开进展？",
    "quality": "完成的质量如何？",
}


def questions_per_meeting(apps, schema_editor):
    """Every meeting gets the old fixed questions as its own; each answer points at its meeting's question."""
    Meeting = apps.get_model("deliberation", "Meeting")
    SurveyQuestion = apps.get_model("deliberation", "SurveyQuestion")
    RatingAnswer = apps.get_model("deliberation", "RatingAnswer")
    for meeting in Meeting.objects.iterator():
        made = {
            key: SurveyQuestion.objects.create(meeting=meeting, text=text, position=i)
            for i, (key, text) in enumerate(OLD.items())
        }
        for answer in RatingAnswer.objects.filter(rating__meeting=meeting):
            answer.item = made[answer.question]
            answer.save(update_fields=["item"])


def authors_follow(apps, schema_editor):
    """Authors and commenters of existing topics follow them."""
    Topic = apps.get_model("deliberation", "Topic")
    Comment = apps.get_model("deliberation", "Comment")
    TopicFollower = apps.get_model("deliberation", "TopicFollower")
    pairs = set(Topic.objects.filter(author__isnull=False).values_list("pk", "author_id"))
    pairs |= set(Comment.objects.filter(author__isnull=False).values_list("topic_id", "author_id"))
    TopicFollower.objects.bulk_create(TopicFollower(topic_id=t, user_id=u) for t, u in pairs)


class Migration(migrations.Migration):
    dependencies = [
        ("deliberation", "0002_followups_ranking_survey_escalation"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="SurveyQuestion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("text", models.CharField(max_length=120, verbose_name="question")),
                ("position", models.PositiveSmallIntegerField(default=0)),
                (
                    "meeting",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="questions",
                        to="deliberation.meeting",
                    ),
                ),
            ],
            options={"ordering": ["position", "id"]},
        ),
        migrations.CreateModel(
            name="TopicFollower",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("at", models.DateTimeField(auto_now_add=True)),
                (
                    "topic",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="followers",
                        to="deliberation.topic",
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("topic", "user"), name="uniq_topic_follower")]
            },
        ),
        migrations.AddField(
            model_name="ratinganswer",
            name="item",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="deliberation.surveyquestion",
            ),
        ),
        migrations.RunPython(questions_per_meeting, migrations.RunPython.noop),
        migrations.RunPython(authors_follow, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="ratinganswer", name="uniq_rating_answer_question"),
        migrations.RemoveField(model_name="ratinganswer", name="question"),
        migrations.RenameField(model_name="ratinganswer", old_name="item", new_name="question"),
        migrations.AlterField(
            model_name="ratinganswer",
            name="question",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="responses",
                to="deliberation.surveyquestion",
            ),
        ),
        migrations.AddConstraint(
            model_name="ratinganswer",
            constraint=models.UniqueConstraint(fields=("rating", "question"), name="uniq_rating_answer_question"),
        ),
    ]
