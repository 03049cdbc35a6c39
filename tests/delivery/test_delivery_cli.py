"""The CLI commands of delivery (send, history, check --expect, track) through click's CliRunner."""

from __future__ import annotations

import email
import json
import sys
from email import policy
from pathlib import Path

import boto3
import pytest
from click.testing import CliRunner

from execbrief.cli import cli
from kits.aws import sent_messages, verify
from kits.send_cli import NOTE

CONFIG = """
[portfolio]
name = "Test Holdings"

[delivery]
transport = "{transport}"
sender = "reports@harbor.example"
operator = "ops@harbor.example"
{extra}

[reports.ceo]
to = ["a@harbor.example", "b@harbor.example"]

[[entities]]
id = "harbor-charters"
name = "Harbor Charters"
kind = "charter"
handoff = "handoffs/harbor-charters.md"
"""


def portfolio(tmp_path: Path, transport: str = "outbox", extra: str = "") -> Path:
    (tmp_path / "handoffs").mkdir()
    (tmp_path / "handoffs" / "harbor-charters.md").write_text(NOTE)
    config = tmp_path / "portfolio.toml"
    config.write_text(CONFIG.format(transport=transport, extra=extra))
    return config


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def test_send_once_then_skip_then_force(tmp_path: Path) -> None:
    config = str(portfolio(tmp_path))
    code, out = invoke("send", "-c", config, "--as-of", "2026-11-20", "--json")
    assert code == 0, out
    data = json.loads(out)
    assert [(d["recipient"], d["action"]) for d in data["run"]["deliveries"]] == [
        ("a@harbor.example", "sent"),
        ("b@harbor.example", "sent"),
    ]
    files = sorted((tmp_path / "outbox").glob("*.eml"))
    assert len(files) == 2
    parsed = email.message_from_bytes(files[0].read_bytes(), policy=policy.default)
    # run on 2026-11-20, the last complete month is October; the brief is the body, the full
    # report rides along as HTML
    assert parsed["Subject"].endswith("October 2026, as of 2026-11-20")
    assert parsed.get_content_type() == "multipart/mixed"
    assert [p.get_filename() for p in parsed.iter_attachments()] == ["ceo-2026-10.html"]
    code, out = invoke("send", "-c", config, "--as-of", "2026-11-20", "--json")
    assert code == 0 and [d["action"] for d in json.loads(out)["run"]["deliveries"]] == [
        "skipped",
        "skipped",
    ]
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 2
    code, out = invoke("send", "-c", config, "--as-of", "2026-11-20", "--force", "--report", "ceo")
    assert code == 0 and len(list((tmp_path / "outbox").glob("*.eml"))) == 4
    code, out = invoke("history", "-c", config, "--json")
    rows = json.loads(out)
    assert [(r["period"], r["recipient"], r["status"], r["attempts"]) for r in rows] == [
        ("2026-10", "a@harbor.example", "sent", 2),
        ("2026-10", "b@harbor.example", "sent", 2),
    ]


def test_dry_run_sends_and_records_nothing(tmp_path: Path) -> None:
    config = str(portfolio(tmp_path))
    code, out = invoke("send", "-c", config, "--as-of", "2026-11-20", "--dry-run")
    assert code == 0 and "would send" in out
    assert not (tmp_path / "outbox").exists()
    code, out = invoke("history", "-c", config, "--json")
    assert json.loads(out) == []


def test_a_rejected_recipient_exits_1_and_is_recorded(tmp_path: Path) -> None:
    config = str(
        portfolio(
            tmp_path, "memory", '[delivery.memory]\nfail = { "b@harbor.example" = "rejected" }'
        )
    )
    code, out = invoke("send", "-c", config, "--as-of", "2026-11-20", "--json")
    assert code == 1
    deliveries = json.loads(out)["run"]["deliveries"]
    assert [d["status"] for d in deliveries] == ["sent", "failed"]
    assert deliveries[1]["error"] == "rejected: scripted rejected failure for b@harbor.example"
    # the operator was told, and the output says so
    assert json.loads(out)["run"]["alerts"] == ["alerted ops@harbor.example"]
    code, out = invoke("send", "-c", config, "--as-of", "2026-11-20")
    assert code == 1 and "operator: alerted ops@harbor.example" in out


def test_bad_period_is_a_usage_error(tmp_path: Path) -> None:
    code, out = invoke("send", "-c", str(portfolio(tmp_path)), "--period", "2026-13")
    assert code == 2 and "--period" in out


def test_check_expect_monthly_reports_missed_periods(tmp_path: Path) -> None:
    config = str(portfolio(tmp_path))
    assert invoke("send", "-c", config, "--as-of", "2026-10-01", "--json")[0] == 0
    assert invoke("send", "-c", config, "--as-of", "2026-12-01", "--json")[0] == 0
    code, out = invoke(
        "check", "-c", config, "--as-of", "2026-12-05", "--expect", "monthly", "--json"
    )
    data = json.loads(out)["delivery"]
    assert code == 1
    assert [(m["report"], m["period"], m["missing"]) for m in data["missed"]] == [
        ("ceo", "2026-10", ["a@harbor.example", "b@harbor.example"])
    ]
    assert data["checks"][0]["name"] == "outbox folder" and data["checks"][0]["ok"]
    # no quarterly delivery was ever recorded: the last full quarter is reported
    code, out = invoke(
        "check", "-c", config, "--as-of", "2026-12-05", "--expect", "quarterly", "--json"
    )
    assert [m["period"] for m in json.loads(out)["delivery"]["missed"]] == ["2026-Q3"]


def ses_event(kind: str, message_id: str, delivery_id: str, **section: object) -> str:
    event = {
        "eventType": kind,
        "mail": {
            "timestamp": "2026-11-20T08:00:01.000Z",
            "messageId": message_id,
            "source": "reports@harbor.example",
            "tags": {"execbrief-delivery": [delivery_id], "ses:configuration-set": ["execbrief"]},
        },
        kind[0].lower() + kind[1:]: {"timestamp": "2026-11-20T08:00:05.000Z", **section},
    }
    return json.dumps(event)


def test_send_through_ses_then_track_events_from_sqs(
    moto_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    aws = {"region_name": "us-east-1", "endpoint_url": moto_url}
    verify(moto_url, "harbor.example", "us-east-1")
    sqs, sns = boto3.client("sqs", **aws), boto3.client("sns", **aws)
    queue = sqs.create_queue(QueueName="ses-events")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    topic = sns.create_topic(Name="ses-events")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)
    extra = f'[delivery.ses]\nregion = "us-east-1"\nendpoint_url = "{moto_url}"\nevents_queue_url = "{queue}"\nmax_send_rate = 50'
    config = str(portfolio(tmp_path, "ses", extra))

    code, out = invoke("send", "-c", config, "--as-of", "2026-11-20", "--json")
    assert code == 0, out
    sent = {d["recipient"]: d for d in json.loads(out)["run"]["deliveries"]}
    assert {m.id for m in sent_messages("us-east-1")} == {d["message_id"] for d in sent.values()}
    a, b = sent["a@harbor.example"], sent["b@harbor.example"]
    sns.publish(
        TopicArn=topic,
        Message=ses_event(
            "Delivery", a["message_id"], str(a["delivery_id"]), smtpResponse="250 ok"
        ),
    )
    sns.publish(
        TopicArn=topic,
        Message=ses_event(
            "Bounce",
            b["message_id"],
            str(b["delivery_id"]),
            bounceType="Permanent",
            bouncedRecipients=[
                {"emailAddress": "b@harbor.example", "diagnosticCode": "550 5.1.1 unknown"}
            ],
        ),
    )
    sns.publish(TopicArn=topic, Message=ses_event("Send", a["message_id"], str(a["delivery_id"])))
    sqs.send_message(QueueUrl=queue, MessageBody="not json at all")

    code, out = invoke("track", "-c", config, "--wait", "0", "--json")
    assert code == 0, out
    tracked = json.loads(out)
    assert tracked["received"] == 4 and len(tracked["malformed"]) == 1
    assert sorted((c["recipient"], c["before"], c["after"]) for c in tracked["changes"]) == [
        ("a@harbor.example", "sent", "delivered"),
        ("b@harbor.example", "sent", "bounced"),
    ]
    rows = {
        r["recipient"]: r["status"]
        for r in json.loads(invoke("history", "-c", config, "--json")[1])
    }
    assert rows == {"a@harbor.example": "delivered", "b@harbor.example": "bounced"}
    # the queue is drained: a second pass reads nothing
    assert json.loads(invoke("track", "-c", config, "--wait", "0", "--json")[1])["received"] == 0
    # a late Delivery event never moves a bounce back
    sns.publish(
        TopicArn=topic, Message=ses_event("Delivery", b["message_id"], str(b["delivery_id"]))
    )
    assert json.loads(invoke("track", "-c", config, "--wait", "0", "--json")[1])["changes"] == []


def test_check_ses_names_the_region(moto_url: str, tmp_path: Path) -> None:
    verify(moto_url, "reports@harbor.example", "ap-southeast-2")
    config = str(
        portfolio(
            tmp_path, "ses", f'[delivery.ses]\nregion = "us-east-1"\nendpoint_url = "{moto_url}"'
        )
    )
    code, out = invoke("check", "-c", config, "--as-of", "2026-11-20", "--json")
    assert code == 1
    identity = next(
        c for c in json.loads(out)["delivery"]["checks"] if c["name"] == "ses sender identity"
    )
    assert "is verified in ap-southeast-2" in identity["detail"]
    # send runs the same check first and sends nothing
    code, out = invoke("send", "-c", config, "--as-of", "2026-11-20", "--json")
    assert code == 1 and "run" not in json.loads(out)
    assert sent_messages("us-east-1") == []


def test_check_text_output_keeps_the_config_section_name(moto_url: str, tmp_path: Path) -> None:
    # The detail says which setting to change; rich must not swallow "[delivery.ses]" as markup.
    verify(moto_url, "harbor.example", "eu-central-1")
    config = str(
        portfolio(
            tmp_path, "ses", f'[delivery.ses]\nregion = "us-east-1"\nendpoint_url = "{moto_url}"'
        )
    )
    result = CliRunner().invoke(
        cli, ["check", "-c", config, "--as-of", "2026-11-20"], catch_exceptions=False
    )
    assert result.exit_code == 1
    text = " ".join(result.output.replace("│", " ").split())
    assert 'set [delivery.ses] region = "eu-central-1"' in text


def test_send_and_history_print_bracketed_text_as_written(tmp_path: Path) -> None:
    # Errors and warnings name config sections in brackets; the terminal must show them.
    config = str(
        portfolio(
            tmp_path,
            "memory",
            '[delivery.memory]\nfail = { "b@harbor.example" = "rejected" }\n\n[reports.cfo]\nto = []',
        )
    )
    code, out = invoke("send", "-c", config, "--as-of", "2026-11-20")
    assert code == 1
    assert "under [reports.cfo]" in out
    (tmp_path / "smtp").mkdir()
    code, out = invoke(
        "send",
        "-c",
        str(portfolio(tmp_path / "smtp", "smtp", '[delivery.smtp]\nusername_env = "SMTP_USER"')),
        "--as-of",
        "2026-11-20",
    )
    assert code != 0 and "[delivery.smtp] needs both" in out


def test_a_sender_killed_after_ses_took_the_message_is_settled_by_track(
    moto_url: str, tmp_path: Path
) -> None:
    # A real process sends through SES (moto over HTTP) and is SIGKILLed inside the transaction
    # that records the second message. The rerun shows it unknown and sends nothing twice; the
    # SES Delivery event, found by its delivery tag, settles it; history shows the truth.
    import signal
    import subprocess
    import sys

    aws = {"region_name": "us-east-1", "endpoint_url": moto_url}
    verify(moto_url, "harbor.example", "us-east-1")
    sqs = boto3.client("sqs", **aws)
    queue = sqs.create_queue(QueueName="ses-events")["QueueUrl"]
    extra = f'[delivery.ses]\nregion = "us-east-1"\nendpoint_url = "{moto_url}"\nevents_queue_url = "{queue}"'
    config = str(portfolio(tmp_path, "ses", extra))
    script = Path(__file__).with_name("sender_process.py")
    store = tmp_path / ".execbrief" / "execbrief.db"

    def sender(*extra_args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [
                sys.executable,
                str(script),
                str(store),
                str(tmp_path / "unused"),
                "3",
                "--ses",
                moto_url,
                *extra_args,
            ],
            capture_output=True,
            text=True,
            timeout=60,
        )

    assert sender("--die-recording", "2").returncode == -signal.SIGKILL
    rerun = sender()
    assert rerun.returncode == 1
    actions = {d["recipient"]: d["action"] for d in json.loads(rerun.stdout)["deliveries"]}
    assert actions == {
        "r000@harbor.example": "skipped",
        "r001@harbor.example": "unknown",
        "r002@harbor.example": "sent",
    }
    by_recipient = {
        email.message_from_string(m.raw_data)["To"]: m.id for m in sent_messages("us-east-1")
    }
    assert sorted(by_recipient) == [f"r00{i}@harbor.example" for i in range(3)]
    assert len(sent_messages("us-east-1")) == 3  # one each, the interrupted one included

    rows = {r["recipient"]: r for r in json.loads(invoke("history", "-c", config, "--json")[1])}
    unknown = rows["r001@harbor.example"]
    assert unknown["status"] == "unknown" and unknown["message_id"] is None
    sqs.send_message(
        QueueUrl=queue,
        MessageBody=ses_event("Delivery", by_recipient["r001@harbor.example"], str(unknown["id"])),
    )
    code, out = invoke("track", "-c", config, "--wait", "0", "--json")
    assert code == 0
    assert [(c["recipient"], c["before"], c["after"]) for c in json.loads(out)["changes"]] == [
        ("r001@harbor.example", "unknown", "delivered")
    ]
    rows = {r["recipient"]: r for r in json.loads(invoke("history", "-c", config, "--json")[1])}
    assert rows["r001@harbor.example"]["status"] == "delivered"
    assert rows["r001@harbor.example"]["message_id"] == by_recipient["r001@harbor.example"]
    # settled: the next run sends nothing and exits 0
    final = sender()
    assert final.returncode == 0 and len(sent_messages("us-east-1")) == 3


def test_a_guard_that_cannot_load_stops_the_send(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No message goes out unguarded: a broken guard import is one clear error, exit 1, 0 sent."""
    config = portfolio(tmp_path)
    import execbrief.pipeline
    import execbrief.secrets.redaction  # collect has loaded these before the guard is asked for

    assert execbrief.pipeline and execbrief.secrets.redaction
    monkeypatch.setitem(sys.modules, "execbrief.secrets.guard", None)  # import now fails
    result = CliRunner().invoke(cli, ["send", "-c", str(config)], catch_exceptions=False)
    assert result.exit_code == 1
    assert "the outgoing secret guard could not load" in result.output
    assert "nothing was sent" in result.output
    assert not list((tmp_path / "outbox").glob("*.eml")) if (tmp_path / "outbox").exists() else True
    monkeypatch.delitem(sys.modules, "execbrief.secrets.guard")
    code, output = invoke("send", "-c", str(config))
    assert code == 0, output
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 2


def test_track_says_when_the_transport_has_no_events(tmp_path: Path) -> None:
    code, out = invoke("track", "-c", str(portfolio(tmp_path)), "--wait", "0")
    assert code == 2
    assert "the outbox transport has no provider events to track" in " ".join(out.split())
