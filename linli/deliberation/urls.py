from django.urls import path

from .views import files, hall, meetings

app_name = "deliberation"

urlpatterns = [
    # Staff: joint meetings through the five steps.
    path("", meetings.meeting_list, name="meetings"),
    path("meetings/new/", meetings.meeting_new, name="meeting_new"),
    path("calendar/", meetings.calendar, name="calendar"),
    path("filings/", meetings.filings, name="filings"),
    path("meetings/<int:pk>/repeat/", meetings.meeting_repeat, name="repeat"),
    path("meetings/<int:pk>/", meetings.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/agenda/", meetings.agenda_add, name="agenda_add"),
    path("meetings/<int:pk>/members/", meetings.participant_add, name="participant_add"),
    path("meetings/<int:pk>/members/invite/", meetings.participants_invite, name="invite"),
    path(
        "meetings/<int:pk>/members/<int:participant_pk>/present/",
        meetings.participant_present,
        name="present",
    ),
    path("meetings/<int:pk>/minutes/", meetings.minutes_save, name="minutes"),
    path("meetings/<int:pk>/decisions/", meetings.decision_add, name="decision_add"),
    path(
        "meetings/<int:pk>/decisions/<int:decision_pk>/topic/", meetings.decision_topic, name="decision_topic"
    ),
    path("meetings/<int:pk>/survey/", meetings.survey_set, name="survey"),
    path("meetings/<int:pk>/act/<str:action>/", meetings.meeting_act, name="act"),
    path("meetings/<int:pk>/sign-in.png", meetings.meeting_qr, name="qr"),
    path("meetings/<int:pk>/record.pdf", meetings.filing_record, name="record"),
    path("meetings/<int:pk>/updates/<int:update_pk>/photo/", files.update_photo, name="update_photo"),
    path("votes/<int:pk>/ballots/<int:ballot_pk>/photo/", files.ballot_photo, name="ballot_photo"),
    path(
        "meetings/<int:pk>/results/<int:result_pk>/progress/",
        meetings.result_progress,
        name="result_progress",
    ),
    path("meetings/<int:pk>/results/<int:result_pk>/parts/", meetings.result_part_add, name="result_part"),
    path("moderation/", hall.moderation, name="moderation"),
    path("moderation/<str:kind>/<int:pk>/", hall.moderate, name="moderate"),
    path("votes/new/", hall.vote_new, name="vote_new"),
    path("votes/<int:pk>/close/", hall.vote_close, name="vote_close"),
    path("votes/<int:pk>/paper/", hall.paper_ballot, name="paper_ballot"),
    path("votes/<int:pk>/paper/households/", hall.paper_household_finder, name="paper_household_finder"),
    # Residents (and staff): the hall, votes, meetings near me, QR sign-in.
    path("hall/", hall.hall, name="hall"),
    path("hall/topics/new/", hall.topic_new, name="topic_new"),
    path("hall/topics/<int:pk>/", hall.topic_detail, name="topic"),
    path("hall/topics/<int:pk>/comment/", hall.comment_add, name="comment"),
    path("hall/topics/<int:pk>/follow/", hall.topic_follow, name="topic_follow"),
    path("hall/report/<str:kind>/<int:pk>/", hall.report, name="report"),
    path("hall/votes/<int:pk>/", hall.vote_detail, name="vote"),
    path("hall/votes/<int:pk>/ballot/", hall.ballot_cast, name="ballot"),
    path("hall/meetings/<int:pk>/", hall.meeting_public, name="meeting_public"),
    path("hall/meetings/<int:pk>/rate/", hall.meeting_rate, name="rate"),
    path("sign-in/<str:token>/", hall.sign_in, name="sign_in"),
    path("public/", hall.public, name="public"),
]
