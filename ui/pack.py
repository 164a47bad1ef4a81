"""The console's download of the printed drill pack (推演资料包): the four documents of ``simulator.pack`` in one
.zip, with the drill's team, code, date and facts on the covers, and PDFs beside the Word files where LibreOffice
is installed.

Made only when clicked (like the report page's Word and PDF files): building four documents, and LibreOffice on
top, on every rerun of the console would slow the room's clock. The console shows it to the facilitator only.
"""

from __future__ import annotations

import streamlit as st

from simulator.library import Entry
from simulator.pack import Pack, drill_of, pack_zip
from simulator.report.pdf import pdf_available
from simulator.store.drills import DrillRecord
from simulator.store.facts import drill_facts
from ui.common import store, tr


def pack_download(record: DrillRecord, entry: Entry) -> None:
    """One button: the pack of this drill's scenario, for this drill, as a .zip. It is made on the server's
    download thread, so the callable makes no Streamlit call: the store is taken here, the facts read there."""
    db, drill_id, scenario = store(), record.id, entry.scenario

    def make() -> bytes:
        pack = Pack.of(scenario, drill=drill_of(record, drill_facts(db, drill_id)))
        return pack_zip(pack, ("docx", "pdf") if pdf_available() else ("docx",))

    st.download_button(
        tr("pack_download"),
        make,
        file_name=f"{tr('pack_file')}_{record.code}.zip",
        mime="application/zip",
        key="pack_zip",
        on_click="ignore",
        help=tr("pack_help"),
    )
