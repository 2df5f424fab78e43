"""Hubs page: the hub register (table, map, add, close, edit, upload, history) and LCP footprints."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import streamlit as st

from app_pages import common, map_layers
from app_pages.figures import summaries
from app_pages.figures.maps import fit_to_area
from app_pages.figures.planner_figures import row_errors_table
from data import loaders
from data.register_store import RegisterConflictError, RegisterStoreError
from geo.footprints import UPLOAD_STATUS, FootprintError
from utils import constants as c
from utils.dates import display_date
from utils.demo import DEMO_LABEL, hubs_for_mode
from utils.hubs import (
    GEOCODED_FROM,
    REGISTER_COLUMNS,
    HubRegisterError,
    coerce_register,
    excel_safe,
    open_on,
    register_to_csv,
    sheet_row,
)
from utils.register_edits import apply_edits, diff_register
from utils.text import escape_markdown, md, message, plain
from utils.view_state import ALL_LEEDS

STATUS_OPEN, STATUS_CLOSED, STATUS_ALL = "Open now", "Closed", "All"
OPEN_NOW = "open_now"  # display-only column of the register table
KIND = "kind"  # display-only: "Illustrative sample" or "Real hub"
# Footprint statuses shown unmarked: as publicly described, or an uploaded official lookup.
UNMARKED_STATUSES = ("described", UPLOAD_STATUS)
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_ADD_FIELDS = {
    "hubs_add_name": "",
    "hubs_add_org": "",
    "hubs_add_postcode": "",
    "hubs_add_opened": "",
    "hubs_add_reason": "",
    "hubs_add_sample": False,
}
_LABELS = {
    c.HUB_ID: "Hub id",
    c.HUB_NAME: "Name",
    c.HUB_ORG: "Organisation",
    c.HUB_ADDRESS: "Address",
    c.HUB_POSTCODE: "Postcode",
    c.HUB_LAT: "Latitude",
    c.HUB_LON: "Longitude",
    c.HUB_OPENED: "Opened",
    c.HUB_CLOSED: "Closed",
    c.HUB_SERVICES: "Services",
    "notes": "Notes",
    c.HUB_SOURCE: "Source",
    c.HUB_SAMPLE: "Illustrative sample",
    c.LCP: "LCP",
    c.LCP_STATUS: "LCP footprint status",
    c.LSOA: "LSOA",
    OPEN_NOW: "Open now",
    KIND: "Kind",
}


# --- small pure steps (display columns and one-row edits; the rules live in utils.hubs) ------
def _storable(valid: pd.DataFrame, candidate: pd.DataFrame) -> pd.DataFrame:
    """Validated rows in stored form: coordinates looked up from the postcode are not stored.

    Otherwise they would be saved as typed coordinates and win over a later postcode change.
    Ids the user left blank stay blank: the database gives them ids never used before
    (validation's own fill only looks at the rows in hand, so it would reuse HUB-0001).
    ``valid`` must be the whole of ``candidate`` (no row errors), so rows line up.
    """
    out = valid[list(REGISTER_COLUMNS)].copy()
    from_postcode = (valid[GEOCODED_FROM] == "postcode").to_numpy()
    out.loc[from_postcode, [c.HUB_LAT, c.HUB_LON]] = np.nan
    out.loc[coerce_register(candidate)[c.HUB_ID].isna().to_numpy(), c.HUB_ID] = None
    return out


def _checked(candidate: pd.DataFrame) -> pd.DataFrame:
    """Validate a register made under the write lock; refuse (nothing saved) if a row fails."""
    valid, errors = loaders.check_register(candidate)
    if errors:
        shown = "; ".join(str(e) for e in errors[:3])
        raise RegisterStoreError(f"The change does not fit the register as saved now: {shown}.")
    return _storable(valid, candidate)


def _with_new_hub(stored: pd.DataFrame, fields: dict) -> pd.DataFrame:
    """The register with one new row appended (blank id: filled by validation)."""
    return pd.concat([stored, pd.DataFrame([fields])], ignore_index=True)


def _with_closure(stored: pd.DataFrame, hub_id: str, closed: date) -> pd.DataFrame:
    """The register with one hub's closed date set."""
    if hub_id not in set(stored[c.HUB_ID]):
        raise RegisterStoreError(f"Hub {hub_id} is no longer in the register (removed meanwhile).")
    out = stored.copy()
    out.loc[out[c.HUB_ID] == hub_id, c.HUB_CLOSED] = closed.isoformat()
    return out


def _register_table(hubs: pd.DataFrame, today: date) -> pd.DataFrame:
    """Hubs with 'open now' and a plain real/sample label, for the table and filters."""
    return hubs.assign(
        **{
            OPEN_NOW: open_on(hubs, today).to_numpy(),
            KIND: np.where(hubs[c.HUB_SAMPLE], "Illustrative sample", "Real hub"),
            # A placeholder date reads "date not known"; the stored text keeps its marker.
            c.HUB_OPENED: hubs[c.HUB_OPENED].map(display_date),
            c.HUB_CLOSED: hubs[c.HUB_CLOSED].map(display_date),
        }
    )


def _filter(
    table: pd.DataFrame, area: str, status: str, samples: bool, search: str
) -> pd.DataFrame:
    keep = pd.Series(True, index=table.index)
    if area != ALL_LEEDS:
        keep &= table[c.LCP] == area
    if status == STATUS_OPEN:
        keep &= table[OPEN_NOW]
    elif status == STATUS_CLOSED:
        keep &= ~table[OPEN_NOW]
    if not samples:
        keep &= ~table[c.HUB_SAMPLE]
    if search.strip():
        text = search.strip()
        keep &= table[c.HUB_NAME].str.contains(text, case=False, regex=False, na=False) | table[
            c.HUB_POSTCODE
        ].str.contains(text, case=False, regex=False, na=False)
    return table[keep.fillna(False).astype(bool)]


def _marker_bounds(hubs: pd.DataFrame) -> list[list[float]]:
    """[[south, west], [north, east]] around the hub markers."""
    lat, lon = hubs[c.HUB_LAT], hubs[c.HUB_LON]
    return [[float(lat.min()), float(lon.min())], [float(lat.max()), float(lon.max())]]


def _xlsx(stored: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    excel_safe(coerce_register(stored)).to_excel(buf, index=False, engine="openpyxl")
    return buf.getvalue()


def _numbered(raw: pd.DataFrame) -> pd.DataFrame:
    """Rows as read, as text, with their spreadsheet row (header = row 1) to match the errors."""
    out = raw.astype("string")
    out.insert(0, "Row", [sheet_row(i) for i in range(len(out))])
    return out


# --- rendering helpers ------------------------------------------------------------------------
def _commit(write: Callable[[], int], done: Callable[[int], str], what: str = "register") -> None:
    """Run one database write; on success flash ``done(version)`` and rerun.

    ``done`` is a function, not a template: messages quote user text (``utils.text.message``),
    which must never pass through ``str.format``. On failure the store has rolled back, so say
    that what was in force still is.
    """
    try:
        version = write()
    except RegisterConflictError as err:
        _show_conflict(err, what)
        return
    except RegisterStoreError as err:
        st.error(f"{escape_markdown(str(err))} The {what} in force is unchanged.")
        return
    st.session_state["hubs_nonce"] = st.session_state.get("hubs_nonce", 0) + 1  # fresh widgets
    st.session_state["hubs_flash"] = done(version)
    st.rerun()


def _show_conflict(err: RegisterConflictError, what: str) -> None:
    """Say who saved what and when since the user started; their input stays on the page."""
    st.error(
        f"{escape_markdown(str(err))} Your changes are kept on this page: look at what was saved "
        "meanwhile (below), then apply them again."
    )
    st.dataframe(
        err.since[["created_at", "action", "reason", "summary"]],
        hide_index=True,
        key=f"hubs_conflict_{what}",
        column_config={
            "created_at": "When (UTC)",
            "action": "Action",
            "reason": "Reason",
            "summary": "What changed",
        },
    )


def _save(
    df: pd.DataFrame, reason: str, action: str, done: str, expected: int | None = None
) -> None:
    """Save a validated register as a new version, then rerun so every view shows it.

    ``done`` is Markdown with any user text already quoted (``utils.text.message``).
    ``expected``: the version the user started from; the save is refused if anyone saved since.
    """
    _commit(
        lambda: loaders.register_store().save(df, reason, action=action, expected_version=expected),
        lambda version: f"{done} Saved as version {version}.",
    )


def _update(change: Callable, reason: str, action: str, done: str) -> None:
    """Apply a one-hub change to the latest register under the database's write lock.

    ``done`` is Markdown with any user text already quoted (``utils.text.message``).
    """
    _commit(
        lambda: loaders.register_store().update(change, reason, action, check=_checked),
        lambda version: f"{done} Saved as version {version}.",
    )


def _incomplete(reason: str, choice: object = "", choose: str = "") -> bool:
    """Say what a change still needs (``choose`` names the choice); True when anything is missing.

    Every change to the register needs a reason (it is kept in the history).
    """
    if choice is None:
        st.error(f"Choose {choose}.")
        return True
    if not reason.strip():
        st.error("Give a reason for the change (it is kept in the history).")
        return True
    return False


def _show_errors(errors: list, what: str, key: str) -> None:
    st.error(
        f"{what}: {len(errors)} problem(s) below. Nothing was changed; the register in force "
        "stays as it is. Row numbers count the header as row 1, as in a spreadsheet."
    )
    st.dataframe(row_errors_table(errors), hide_index=True, key=key, width="stretch")


def _reason(key: str) -> str:
    return st.text_input(
        "Reason for the change (kept in the history)",
        key=key,
        placeholder="e.g. New hub confirmed by the programme team",
    )


def _offered_against(upload, key: str, version: int) -> list:
    """``[file id, version]``: the version an uploaded file was first offered against.

    Applying is refused if anyone saved since; the caller sets the version to the latest after
    a refusal, so a second click applies the file anyway. A different file starts afresh.
    """
    file_id = f"{upload.name}:{upload.size}:{getattr(upload, 'file_id', '')}"
    base = st.session_state.setdefault(key, [file_id, version])
    if base[0] != file_id:
        base = st.session_state[key] = [file_id, version]
    return base


@dataclass(frozen=True)
class _Register:
    """What the tabs share: the register as stored and as shown, its version, whether saving is on."""

    today: date
    version: int
    read_only: bool
    nonce: int  # bumped by every save, so widgets start fresh
    stored: pd.DataFrame
    table: pd.DataFrame



def _register_tab(reg: _Register) -> None:
    """The register tab: filters, the map of the open hubs shown, the table and downloads."""
    view = common.shared_view()
    demo = common.demo_mode()
    stored, table = reg.stored, reg.table
    f1, f2, f3 = st.columns([2, 1, 1])
    search = f1.text_input("Find a hub (name or postcode)", key="hubs_search")
    status = f2.radio(
        "Show", [STATUS_OPEN, STATUS_CLOSED, STATUS_ALL], horizontal=True, key="hubs_status"
    )
    samples = f3.toggle("Include illustrative samples", value=True, key="hubs_samples")
    shown = _filter(table, view["area"], status, samples, search)
    area_note = "" if view["area"] == ALL_LEEDS else f" in {md(view['area'])} (sidebar area)"
    st.caption(f"{len(shown)} of {len(table)} register rows{area_note}.")
    # The map follows the real-hubs rule like every figure; the table lists every row.
    on_map = hubs_for_mode(shown[shown[OPEN_NOW]], demo)
    common.sample_hub_notice(on_map)
    left_out = int(shown[OPEN_NOW].sum()) - len(on_map)
    if left_out:
        st.caption(
            f"{left_out} open illustrative sample hub(s) are listed below but not drawn on the "
            f"map: figures use real hubs only unless *{DEMO_LABEL}* is on in the sidebar."
        )

    indicator = view["ind"]
    label = c.INDICATORS[indicator][0]
    lsoas = loaders.load_lsoas_with_lcp()
    fmap = map_layers.indicator_map(lsoas, indicator, on_map, demo=demo)
    fit_to_area(fmap, lsoas, view["area"])
    if search.strip() and len(on_map):
        fmap.fit_bounds(_marker_bounds(on_map), max_zoom=14)  # zoom to what was searched for
    st.caption(
        f"Map: the open hubs among the rows below (the table lists them), over {label}. Dashed "
        "outlines are LCP footprints that are approximate or provisional, not as publicly "
        "described."
    )
    common.figure_summary(
        summaries.hubs_map_summary(on_map, "Leeds" if view["area"] == ALL_LEEDS else view["area"])
    )
    common.show_map(fmap, height=560)

    columns = [
        c.HUB_ID,
        c.HUB_NAME,
        KIND,
        c.HUB_ORG,
        c.HUB_POSTCODE,
        c.HUB_OPENED,
        c.HUB_CLOSED,
        OPEN_NOW,
        c.LCP,
        c.LCP_STATUS,
        c.LSOA,
    ]
    st.dataframe(
        shown[columns],
        hide_index=True,
        width="stretch",
        key="hubs_table",
        column_config={col: _LABELS[col] for col in columns},
    )
    d1, d2, _ = st.columns([1, 1, 3])
    d1.download_button(
        "Download register (CSV)",
        register_to_csv(stored),
        file_name="hub_register.csv",
        mime="text/csv",
        key="hubs_download_csv",
    )
    d2.download_button(
        "Download register (XLSX)",
        _xlsx(stored),
        file_name="hub_register.xlsx",
        mime=XLSX_MIME,
        key="hubs_download_xlsx",
    )
    st.caption(
        "Downloads hold the whole register as stored (the upload format). Text that Excel could "
        "run as a formula is prefixed with an apostrophe."
    )


def _add_or_close_tab(reg: _Register) -> None:
    """The add-or-close tab: add a hub by postcode, close an open hub."""
    _add_hub(reg)
    _close_hub(reg)


def _add_hub(reg: _Register) -> None:
    """Add a hub by postcode (checked with the whole register before saving)."""
    read_only, stored = reg.read_only, reg.stored
    st.subheader("Add a hub by postcode")
    if st.session_state.pop("hubs_add_clear", False):
        for key, blank in _ADD_FIELDS.items():
            st.session_state[key] = blank  # before the widgets exist, so this is allowed
    with st.form("hubs_add_form"):
        a1, a2 = st.columns(2)
        a1.text_input("Hub name", key="hubs_add_name")
        a2.text_input("Organisation", key="hubs_add_org")
        a1.text_input("Postcode", key="hubs_add_postcode", placeholder="LS15 7JY")
        a2.text_input(
            "Opened (YYYY-MM, or YYYY-MM-DD)", key="hubs_add_opened", placeholder="2024-03"
        )
        st.checkbox("Illustrative sample (not a real hub)", key="hubs_add_sample")
        _reason("hubs_add_reason")
        add = st.form_submit_button(
            "Add hub", key="hubs_add_submit", type="primary", disabled=read_only
        )
    if add:
        s = st.session_state
        new_hub = {
            c.HUB_NAME: s["hubs_add_name"],
            c.HUB_ORG: s["hubs_add_org"],
            c.HUB_POSTCODE: s["hubs_add_postcode"],
            c.HUB_OPENED: s["hubs_add_opened"],
            c.HUB_SAMPLE: s["hubs_add_sample"],
        }
        candidate = _with_new_hub(stored, new_hub)
        valid, errors = loaders.check_register(candidate)
        if errors:
            _show_errors(
                errors,
                f"The hub was not added (it would be row {len(candidate) + 1})",
                "hubs_add_errors",
            )
        elif not _incomplete(s["hubs_add_reason"]):
            s["hubs_add_clear"] = True
            # Added to the register as saved at that moment, not to the copy on this page.
            _update(
                lambda latest: _with_new_hub(latest, new_hub),
                s["hubs_add_reason"],
                "add",
                message("Added {name}.", name=s["hubs_add_name"]),
            )
            s.pop("hubs_add_clear", None)  # only reached when the save failed: keep the form


def _close_hub(reg: _Register) -> None:
    """Close an open hub on a date (checked with the whole register before saving)."""
    today, read_only, stored, table = reg.today, reg.read_only, reg.stored, reg.table
    st.subheader("Close a hub")
    open_hubs = table[table[OPEN_NOW]]
    names = dict(zip(open_hubs[c.HUB_ID], open_hubs[c.HUB_NAME], strict=True))
    with st.form("hubs_close_form"):
        hub_id = st.selectbox(
            "Hub to close",
            list(names),
            index=None,
            format_func=lambda i: f"{plain(names.get(i, i))} ({i})",
            key="hubs_close_hub",
            placeholder="Choose an open hub",
        )
        closed_on = st.date_input(
            "Closed on", value=today, max_value=today, key="hubs_close_date", format="YYYY-MM-DD"
        )
        close_reason = _reason("hubs_close_reason")
        close = st.form_submit_button("Close hub", key="hubs_close_submit", disabled=read_only)
    if close:
        if not _incomplete(close_reason, hub_id, "the hub to close"):
            valid, errors = loaders.check_register(_with_closure(stored, hub_id, closed_on))
            if errors:
                _show_errors(errors, "The hub was not closed", "hubs_close_errors")
            else:
                _update(
                    lambda latest: _with_closure(latest, hub_id, closed_on),
                    close_reason,
                    "close",
                    message("Closed {name}.", name=names[hub_id]),
                )


def _edit_tab(reg: _Register) -> None:
    """The edit-in-place tab: a data editor on the register, checked before saving."""
    st.caption(
        "Edit cells, add rows at the bottom (leave the hub id blank) or delete rows, then give a "
        "reason and save. The whole register is checked first; nothing is saved while any row "
        "has a problem. Latitude/longitude are optional: blank means the postcode centroid."
    )
    version, read_only, nonce, stored = reg.version, reg.read_only, reg.nonce, reg.stored
    # The editor's edits are positional, so they stay on the version they were made on (the
    # "base"); with no pending edits the editor follows the latest version. If someone saves
    # meanwhile, the user's edits are kept and can be carried over to the latest by hub id.
    edit_base = st.session_state.get("hubs_edit_base", version)
    pending = st.session_state.get(f"hubs_editor_{edit_base}_{nonce}") or {}
    if not any(pending.get(k) for k in ("edited_rows", "added_rows", "deleted_rows")):
        edit_base = version
    st.session_state["hubs_edit_base"] = edit_base
    base_register = stored if edit_base == version else loaders.load_register_snapshot(edit_base)
    editor_key = f"hubs_editor_{edit_base}_{nonce}"
    edited = st.data_editor(
        base_register,
        key=editor_key,
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config={
            **{col: _LABELS[col] for col in REGISTER_COLUMNS},
            c.HUB_SAMPLE: st.column_config.CheckboxColumn(_LABELS[c.HUB_SAMPLE], default=False),
        },
    )
    edits = st.session_state.get(editor_key) or {}
    if any(edits.get(k) for k in ("edited_rows", "added_rows", "deleted_rows")):
        if edit_base != version:
            st.warning(
                f"You are editing version {edit_base}, but the register has been saved since "
                f"(version {version} is in force). Your edits are kept: apply them to the latest "
                "version (only the cells you changed, matched by hub id), or discard them."
            )
            mine = diff_register(base_register, edited)
            b1, b2, _ = st.columns([2, 1, 2])
            carry_reason = _reason("hubs_edit_carry_reason")
            if b1.button(
                "Apply my edits to the latest version",
                key="hubs_edit_carry",
                type="primary",
                disabled=read_only,
            ):
                if not _incomplete(carry_reason):
                    _update(
                        lambda latest: apply_edits(latest, mine),
                        carry_reason,
                        "edit",
                        "Applied your edits to the latest version.",
                    )
            if b2.button("Discard my edits", key="hubs_edit_discard"):
                st.session_state["hubs_nonce"] = nonce + 1
                st.rerun()
        valid, errors = loaders.check_register(edited)
        if errors:
            _show_errors(errors, "The edits cannot be saved yet", "hubs_edit_errors")
        elif edit_base == version:
            st.info(f"The edited register checks out: {len(valid)} rows.")
            edit_reason = _reason("hubs_edit_reason")
            if st.button("Save edits", key="hubs_edit_save", type="primary", disabled=read_only):
                _save(
                    _storable(valid, edited),
                    edit_reason,
                    "edit",
                    "Saved your edits.",
                    expected=edit_base,
                )


def _upload_tab(reg: _Register) -> None:
    """The upload tab: a whole register from CSV/XLSX, previewed and checked before applying."""
    st.caption(
        "Upload the whole register as CSV (UTF-8) or XLSX, with the columns of the download "
        "(name, postcode and opened are required). Nothing changes until you apply it; a file "
        "with any problem cannot be applied. Applying replaces the register (the current one "
        "stays in the history)."
    )
    version, read_only, nonce, stored = reg.version, reg.read_only, reg.nonce, reg.stored
    upload = st.file_uploader("Register file", type=["csv", "xlsx"], key=f"hubs_upload_{nonce}")
    if upload is None:
        st.session_state.pop("hubs_upload_base", None)
    else:
        upload_base = _offered_against(upload, "hubs_upload_base", version)
        try:
            raw, valid, errors = loaders.load_register_upload(upload.getvalue(), upload.name)
        except HubRegisterError as err:
            st.error(f"{escape_markdown(str(err))} Nothing was changed.")
        else:
            st.markdown(f"**Preview of {md(upload.name)}**: {len(raw)} row(s) as read.")
            st.dataframe(_numbered(raw), hide_index=True, key="hubs_upload_preview")
            if errors:
                _show_errors(errors, f"{md(upload.name)} cannot be applied", "hubs_upload_errors")
            else:
                n_sample = int(valid[c.HUB_SAMPLE].sum())
                st.success(
                    f"No problems found: {len(valid)} hub row(s), {n_sample} marked as "
                    f"illustrative samples. Applying replaces the current {len(stored)} rows."
                )
                upload_reason = _reason("hubs_upload_reason")
                if st.button(
                    "Apply upload", key="hubs_upload_apply", type="primary", disabled=read_only
                ):
                    _save(
                        _storable(valid, raw),
                        upload_reason,
                        "upload",
                        message("Applied {name}.", name=upload.name),
                        expected=upload_base[1],
                    )
                    # Refused because someone saved meanwhile: a second click applies it anyway.
                    upload_base[1] = version


def _history_tab(reg: _Register) -> None:
    """The history tab: every saved version, and restoring an earlier one."""
    version, read_only = reg.version, reg.read_only
    history = loaders.load_register_history()
    st.dataframe(
        history,
        hide_index=True,
        width="stretch",
        key="hubs_history",
        column_config={
            "version_id": "Version",
            "created_at": "When (UTC)",
            "action": "Action",
            "reason": "Reason",
            "summary": "What changed",
            "n_hubs": "Rows",
        },
    )
    rows = {int(r.version_id): r for r in history.itertuples(index=False)}
    with st.form("hubs_restore_form"):
        restore_id = st.selectbox(
            "Version to restore",
            list(rows)[1:],  # the newest is the register in force
            index=None,
            format_func=lambda v: f"Version {v} — {rows[v].created_at} — {plain(rows[v].reason)}",
            key="hubs_restore_version",
            placeholder="Choose an earlier version",
        )
        restore_reason = _reason("hubs_restore_reason")
        restore = st.form_submit_button(
            "Restore this version", key="hubs_restore_submit", disabled=read_only
        )
    if restore:
        if not _incomplete(restore_reason, restore_id, "the version to restore"):
            # The version on screen when the form was filled in (set at the end of each run).
            seen = st.session_state.get("hubs_seen_version", version)
            _commit(
                lambda: loaders.register_store().restore(
                    restore_id, restore_reason, expected_version=seen
                ),
                lambda version: f"Restored version {restore_id}. Saved as version {version}.",
            )


def _footprints_tab(reg: _Register) -> None:
    """The footprints tab: the LSOA → LCP lookup in force, and replacing it."""
    fp_version = loaders.footprints_version()
    _footprints_in_force(fp_version)
    _footprint_upload(reg, fp_version)


def _footprints_in_force(fp_version: int) -> None:
    """Which lookup is in force, and its LCPs (those not as publicly described marked)."""
    summary = loaders.load_footprint_summary()
    in_force = (
        "the project's default lookup (data/footprints/lsoa21_lcp.csv, not official)"
        if fp_version == 0
        else f"uploaded lookup version {fp_version}"
    )
    st.markdown(f"**Footprints in force:** {in_force}, {len(summary)} LCPs.")
    not_described = ~summary[c.LCP_STATUS].isin(UNMARKED_STATUSES)
    if not_described.any():
        st.warning(
            f"{int(not_described.sum())} of the {len(summary)} footprints are **not as publicly "
            "described** (approximate, provisional or mixed): marked ⚠ below and dashed on maps. "
            "Upload the official lookup to replace them."
        )
    st.dataframe(
        summary.assign(marked=np.where(not_described, "⚠ not as publicly described", "")),
        hide_index=True,
        width="stretch",
        key="hubs_fp_table",
        column_config={
            c.LCP: "LCP",
            c.LCP_STATUS: "Status",
            "marked": "Note",
            "n_lsoas": "LSOAs",
            c.POP_TOTAL: st.column_config.NumberColumn("Residents (mid-2022)", format="%d"),
        },
    )


def _footprint_upload(reg: _Register, fp_version: int) -> None:
    """Replace the footprints for everyone from an uploaded lookup (checked first)."""
    read_only, nonce = reg.read_only, reg.nonce
    st.subheader("Replace the footprints for everyone")
    lookup_note = (
        "2021 or 2011 LSOA codes (2011 codes are converted)"
        if loaders.load_lsoa11_to_21() is not None
        else "2021 LSOA codes (the 2011 → 2021 lookup is not on this machine)"
    )
    st.caption(
        f"CSV (UTF-8) or XLSX with one row per LSOA: an LSOA code column and an LCP name column, "
        f"{lookup_note}; a status column is optional. Every Leeds LSOA must appear once. If "
        "anything is wrong, nothing changes."
    )
    fp_upload = st.file_uploader(
        "LSOA → LCP lookup", type=["csv", "xlsx"], key=f"hubs_fp_upload_{nonce}"
    )
    if fp_upload is None:
        st.session_state.pop("hubs_fp_base", None)
    else:
        fp_base = _offered_against(fp_upload, "hubs_fp_base", fp_version)
        try:
            fp_raw, lookup, fp_errors = loaders.load_footprint_upload(
                fp_upload.getvalue(), fp_upload.name
            )
        except FootprintError as err:
            st.error(f"{escape_markdown(str(err))} The footprints in force are unchanged.")
        else:
            st.markdown(f"**Preview of {md(fp_upload.name)}**: {len(fp_raw)} row(s) as read.")
            st.dataframe(_numbered(fp_raw), hide_index=True, key="hubs_fp_preview", height=240)
            if fp_errors:
                st.error(
                    f"{md(fp_upload.name)} cannot be applied: {len(fp_errors)} problem(s) below. "
                    "The footprints in force are unchanged."
                )
                st.dataframe(row_errors_table(fp_errors), hide_index=True, key="hubs_fp_errors")
            else:
                st.success(
                    f"No problems found: {len(lookup)} LSOAs in {lookup[c.LCP].nunique()} LCPs."
                )
                fp_reason = _reason("hubs_fp_reason")
                if st.button(
                    "Apply footprints", key="hubs_fp_apply", type="primary", disabled=read_only
                ):
                    _commit(
                        lambda: loaders.register_store().save_footprints(
                            lookup, fp_reason, expected_version=fp_base[1]
                        ),
                        lambda version: (
                            message("Applied {name}", name=fp_upload.name)
                            + f" as footprints version {version}."
                        ),
                        what="footprints",
                    )
                    fp_base[1] = fp_version  # after a refusal, a second click applies it
    if fp_version:
        if st.button("Return to the default footprints", key="hubs_fp_reset", disabled=read_only):
            _commit(
                lambda: loaders.register_store().reset_footprints() or 0,
                lambda _version: "Returned to the project's default footprints.",
                what="footprints",
            )


# --- page -------------------------------------------------------------------------------------
st.title("Hubs: the register and LCP footprints")
st.caption(
    "The hub register everyone sees, and the LSOA → Local Care Partnership (LCP) lookup in "
    "force. Every saved change is a new version with a reason; any version can be restored."
)
if flash := st.session_state.pop("hubs_flash", None):
    st.success(flash)
# Why saving is off (the message itself is shown once, above every page, by dashboard.py).
_read_only = loaders.register_fault() is not None
if _read_only:
    st.info("Saving is off until the register database is fixed; browsing and downloads work.")
_reg = _Register(
    today=date.today(),
    version=loaders.register_version(),
    read_only=_read_only,
    nonce=st.session_state.get("hubs_nonce", 0),
    stored=loaders.load_stored_register(),
    # The register itself: every row, samples flagged.
    table=_register_table(loaders.load_register_hubs(), date.today()),
)
_tabs = st.tabs(
    [
        "Register",
        "Add or close a hub",
        "Edit in place",
        "Upload a register",
        "History",
        "LCP footprints",
    ]
)
for _tab, _draw in zip(
    _tabs,
    [_register_tab, _add_or_close_tab, _edit_tab, _upload_tab, _history_tab, _footprints_tab],
    strict=True,
):
    with _tab:
        _draw(_reg)
st.session_state["hubs_seen_version"] = _reg.version
