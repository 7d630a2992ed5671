"""Recorded events shared by the extract tests, as the crawl stores them."""

from __future__ import annotations

import json

TXWD_TCL = {  # the real 2022-12-06 TXWD item (data/samples/pacer_2022-12-06/ecf.txwd.rss.xml)
    "id": "pacer_txwd:1163853:185",
    "source": "pacer_txwd",
    "forum": "usdc",
    "court": "txwd",
    "docket_number": "6:22-cv-00217",
    "case_name": "ARIGNA TECHNOLOGY LIMITED v. TCL Technology Group Corp. et al",
    "event_types": json.dumps(["Answer to Complaint"]),
    "published": "2022-12-06T14:01:55+00:00",
    "link": "https://ecf.txwd.uscourts.gov/cgi-bin/DktRpt.pl?1163853",
    "parties": "[]",
    "body": "",
    "retrieved_at": "2022-12-06T14:14:01+00:00",
}
