"""The one place that maps canonical names to the Dutch words a teacher reads,
and formats numbers the Dutch way (decimal comma)."""

from __future__ import annotations

import math

from plgdata.model.vocabulary import PERIOD_LABELS, SUBJECT_LABELS  # noqa: F401 (re-exported)

#: table columns -> Dutch label (tables, axes, Excel headers)
_TABLE_LABELS: dict[str, str] = {
    "pupil_id": "Leerling (pseudoniem)",
    "school": "School",
    "school_year": "Schooljaar",
    "groep": "Groep",
    "class_name": "Klas",
    "subject": "Vak",
    "test_name": "Toets",
    "scale": "Schaal",
    "moment": "Moment",
    "period": "Periode",
    "test_level": "Toetsniveau (groep)",
    "date": "Afnamedatum",
    "score": "Vaardigheidsscore",
    "level": "Niveau",
    "percentile": "Percentiel",
    "func_level": "Functioneringsniveau",
    "dle": "DLE",
    "source_file": "Bestand",
    "source_row": "Regel",
    "gender": "Geslacht",
    "birth_year": "Geboortejaar",
    "thuistaal": "Thuistaal",
    "instroom": "Instroom",
    "id_basis": "Herkend op",
    "intervention_id": "Interventie-id",
    "name": "Naam",
    "description": "Omschrijving",
    "leerteam": "Leerteam",
    "groepen": "Groepen",
    "start": "Start",
    "end": "Einde",
    "minutes_per_week": "Minuten per week",
    "n": "Aantal leerlingen",
    "mean": "Gemiddelde",
    "median": "Mediaan",
    "sd": "Standaardafwijking",
    "ci_low": "95%-BI onder",
    "ci_high": "95%-BI boven",
    "gain": "Leerwinst",
    "pre": "Voormeting",
    "post": "Nameting",
    "severity": "Ernst",
    "check": "Controle",
    "count": "Aantal",
    "message": "Uitleg",
    "examples": "Voorbeelden",
}

#: the roles a column of an export can have when it is read (the preview "Zo heeft plgdata je bestand gelezen")
ROLE_LABELS: dict[str, str] = {
    "raw_number": "Leerlingnummer",
    "raw_bsn": "BSN (weggelaten, nooit bewaard)",
    "raw_name": "Naam",
    "raw_first_name": "Voornaam",
    "raw_prefix": "Tussenvoegsel",
    "raw_last_name": "Achternaam",
    "raw_birth_date": "Geboortedatum",
    "number_correct": "Ruwe score (niet gebruikt)",
    **_TABLE_LABELS,
}

SEVERITY_LABELS: dict[str, str] = {"fout": "Fout", "waarschuwing": "Waarschuwing", "info": "Ter info"}


def label(name: str) -> str:
    """Dutch label of a canonical column (the name itself when unknown)."""
    return COLUMN_LABELS.get(name, name)


def dutch_columns(df):
    """Copy of ``df`` with Dutch column labels."""
    return df.rename(columns={c: label(c) for c in df.columns})


def for_display(df, decimals: int = 2):
    """Copy of ``df`` as a teacher reads it on screen: Dutch column labels, shares (columns named
    ``share…``) as percentages, other decimals with a comma, nothing as '–'.  Text, not numbers: for
    a notebook or page, never for the Excel files."""
    out = df.copy()
    for c in out.columns:
        if str(c).startswith("share"):
            out[c] = [fmt_pct(v) for v in out[c]]
        elif out[c].dtype.kind == "f":
            out[c] = [fmt_num(v, decimals) for v in out[c]]
    return dutch_columns(out)


def facts(pairs: dict):
    """A few labelled facts as a small two-column table (a Python dict is never shown to a teacher)."""
    import pandas as pd

    return pd.DataFrame({"": [str(v) for v in pairs.values()]}, index=list(pairs))


def _number(value) -> float | str | None:
    """``value`` as a float; None for missing/NaN/``pd.NA`` (a suppressed cell); the text itself when it is no number."""
    if value is None or type(value).__name__ in ("NAType", "NaTType"):
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return str(value)
    return None if math.isnan(f) else f


def fmt_num(value, decimals: int = 1) -> str:
    """``1234.5`` -> ``'1.234,5'``; NaN -> ``'–'``."""
    f = _number(value)
    if f is None or isinstance(f, str):
        return "–" if f is None else f
    text = f"{f:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def fmt_pct(value, decimals: int = 0) -> str:
    """``0.405`` -> ``'41%'`` (a share between 0 and 1)."""
    f = _number(value)
    if f is None or isinstance(f, str):
        return "–" if f is None else f
    return fmt_num(100 * f, decimals) + "%"


# --- comparison statistics (plgdata.analysis.compare, plgdata.analysis.hypotheses) -------------------------

#: statistic key of :meth:`plgdata.analysis.compare.CompareResult.to_frame` -> Dutch label
STATISTIC_LABELS: dict[str, str] = {
    "design": "Opzet",
    "n_treatment": "Aantal leerlingen interventiegroep",
    "n_control": "Aantal leerlingen vergelijkingsgroep",
    "mean_treatment": "Gemiddelde interventiegroep",
    "sd_treatment": "Standaardafwijking interventiegroep",
    "mean_control": "Gemiddelde vergelijkingsgroep",
    "sd_control": "Standaardafwijking vergelijkingsgroep",
    "pre_mean_treatment": "Gemiddelde voormeting interventiegroep",
    "pre_mean_control": "Gemiddelde voormeting vergelijkingsgroep",
    "mean_difference": "Verschil in gemiddelden (nameting)",
    "p_value": "p-waarde (t-toets)",
    "hedges_g": "Hedges' g (nameting)",
    "glass_delta": "Glass' Δ",
    "mannwhitney_u": "Mann-Whitney U",
    "mannwhitney_p": "p-waarde (Mann-Whitney)",
    "cliffs_delta": "Cliff's δ",
    "ancova_difference": "Gecorrigeerd verschil (ANCOVA)",
    "ancova_p": "p-waarde (ANCOVA)",
    "ancova_g": "Effectgrootte ANCOVA (g)",
    "ancova_slope": "Helling voormeting (ANCOVA)",
    "gain_difference": "Verschil in leerwinst (verschil-in-verschillen)",
    "gain_difference_p": "p-waarde (verschil in leerwinst)",
    "morris_dppc2": "Morris d_ppc2 (leerwinst)",
    "slope_interaction_p": "p-waarde gelijke hellingen (groep × voormeting)",
    "baseline_g": "Verschil op de voormeting (g)",
    "baseline_category": "Gelijkwaardigheid vooraf (WWC)",
    "naive_gain": "Leerwinst (nameting − voormeting)",
    "norm_growth": "Verwachte groei (norm)",
    "rtm_expected_gain": "Verwachte schijnwinst door regressie naar het gemiddelde",
    "gain_beyond_rtm": "Leerwinst boven verwachting",
    "reliability_used": "Gebruikte betrouwbaarheid (r)",
    "d_z": "d_z (winst / sd van de winst)",
    "g_av": "g_av (winst / gemiddelde sd)",
    "mde": "Kleinste aantoonbare effect (MDE)",
    "headline": "Belangrijkste schatting",
    "headline_boot": "Belangrijkste schatting (bootstrap-BI)",
    "kraft": "Grootte (Kraft 2020)",
    "verdict": "Oordeel",
    "estimate": "Schatting",
    "statistic": "Statistiek",
    "value": "Waarde",
    "r": "Correlatie (Pearson r)",
    "rho": "Rangcorrelatie (Spearman ρ)",
    "proportion_a": "Aandeel groep A",
    "proportion_b": "Aandeel groep B",
    "proportion_difference": "Verschil in aandeel",
}


# --- growth, levels and trends (plgdata.analysis.growth, plgdata.analysis.levels, plgdata.analysis.trends) ---------

#: output columns of growth, levels and trends -> Dutch label
ANALYSIS_LABELS: dict[str, str] = {
    "z_pre": "z-score voormeting",
    "z_post": "z-score nameting",
    "z_growth": "Groei in z-scores",
    "nce_pre": "NCE voormeting",
    "nce_post": "NCE nameting",
    "nce_growth": "Groei in NCE",
    "percentile_pre": "Percentiel voormeting",
    "percentile_post": "Percentiel nameting",
    "moment_pre": "Moment voormeting",
    "moment_post": "Moment nameting",
    "date_pre": "Datum voormeting",
    "date_post": "Datum nameting",
    "school_year_post": "Schooljaar nameting",
    "groep_post": "Groep nameting",
    "class_name_post": "Klas nameting",
    "norm_mean_pre": "Landelijk gemiddelde voormeting",
    "norm_sd_pre": "Landelijke sd voormeting",
    "norm_mean_post": "Landelijk gemiddelde nameting",
    "norm_sd_post": "Landelijke sd nameting",
    "expected_post": "Verwachte nameting",
    "expected_gain": "Verwachte leerwinst",
    "mean_expected_gain": "Gemiddelde verwachte leerwinst",
    "growth_vs_expected": "Leerwinst t.o.v. verwachting",
    "at_least_expected": "Minstens verwachte groei",
    "expected_post_start": "Verwachte nameting bij deze beginscore",
    "z_expected_post": "Verwachte z nameting bij deze beginscore",
    "z_vs_expected": "Groei t.o.v. leerlingen met dezelfde beginscore (z)",
    "z_slope": "Helling nameting op voormeting",
    "slope": "Helling nameting op voormeting",
    "share_at_least_expected": "Aandeel met minstens verwachte groei",
    "share_grew_like_norm": "Aandeel dat minstens als de norm groeide",
    "mean_z_pre": "Gemiddelde z voormeting",
    "mean_z_post": "Gemiddelde z nameting",
    "mean_nce_pre": "Gemiddelde NCE voormeting",
    "mean_nce_post": "Gemiddelde NCE nameting",
    "mean_nce_growth": "Gemiddelde groei in NCE",
    "suppressed": "Niet getoond (te weinig leerlingen)",
    "n_cohorts": "Aantal cohorten",
    "years": "Schooljaren",
    "level_system": "Niveausysteem",
    "level_rank": "Rang niveau",
    "n_total": "Aantal leerlingen in de groep",
    "share": "Aandeel",
    "n_at_or_above": "Aantal op dit niveau of hoger",
    "n_at_or_below": "Aantal op dit niveau of lager",
    "share_at_or_above": "Aandeel op niveau III of hoger",
    "share_i_iii": "Aandeel I–III",
    "share_iv_v": "Aandeel IV–V",
    "n_growth": "Aantal leerlingen met groei (M en E)",
    "growth_note": "Toelichting groei",
    "level_note": "Toelichting niveaus",
    "n_score": "Aantal scores",
    "n_level": "Aantal met een niveau",
    "mean_3jr": "Driejaarsgemiddelde",
    "share_3jr": "Driejaarsgemiddelde aandeel",
    "scale_break": "Wisseling van toetsversie",
    "share_1f": "Aandeel 1F of hoger",
    "share_2f": "Aandeel 2F/1S",
    "avg_1f": "Driejaarsgemiddelde 1F",
    "avg_2f": "Driejaarsgemiddelde 2F/1S",
    "sw_1f": "Signaleringswaarde 1F",
    "sw_2f": "Signaleringswaarde 2F/1S",
    "below_1f": "Onder signaleringswaarde 1F",
    "below_2f": "Onder signaleringswaarde 2F/1S",
}


def _first_wins(*tables: dict[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for table in tables:
        for key, text in table.items():
            out.setdefault(key, text)
    return out


#: every column name -> Dutch label: table columns first, then statistics and analysis outputs
COLUMN_LABELS: dict[str, str] = _first_wins(_TABLE_LABELS, STATISTIC_LABELS, {"label": "Omschrijving"}, ANALYSIS_LABELS)


# --- intervention evaluation (plgdata.analysis.evaluation) ----------------------------------------

#: who an intervention's pupils are compared with -> Dutch
COMPARISON_LABELS: dict[str, str] = {
    "parallel_class": "de parallelklas (niet deelnemende klassen van dezelfde groep)",
    "same_groep": "de andere leerlingen van dezelfde groep",
    "none": "geen vergelijkingsgroep",
    "cohort": "de eerdere jaargangen (dezelfde groep en hetzelfde moment)",
}


# --- report tables (plgdata.reporting) -------------------------------------------------------------

#: column key of a report table -> its Dutch header (keys not listed keep their name)
REPORT_LABELS: dict[str, str] = {
    "subject": "Vak",
    "moment": "Moment",
    "class_name": "Klas",
    "school_year": "Schooljaar",
    "scale": "Toetsversie",
    "moment_from": "Van",
    "moment_to": "Naar",
    "share_i_iii": "Aandeel I–III",
    "share_iv_v": "Aandeel IV–V",
    "gain_mean": "Gemiddelde leerwinst",
    "gain_ci_low": "95%-BI onder",
    "gain_ci_high": "95%-BI boven",
    "z_growth_mean": "Gemiddelde groei in z",
    "z_ci_low": "z ondergrens",
    "z_ci_high": "z bovengrens",
    "n_subjects": "Aantal vakken",
    "why": "Waarom",
    "groep_label": "Groep",
    "cohort": "Jaargangen",
    "estimate": "Schatting",
    "boot_low": "Bootstrap onder",
    "boot_high": "Bootstrap boven",
    "part": "Onderdeel",
    "text": "Waarde",
    "period": "Periode",
    "last_year": "Laatste jaar",
    "n_years": "Aantal jaren",
    "id": "Id",
    "kind": "Soort",
    "statement": "Stelling",
    "decision_rule": "Beslisregel",
    "verdict": "Oordeel",
    "interpretation": "Interpretatie",
    "revises": "Herziet",
    "intervention_id": "Interventie",
    "hypothesis_id": "Hypothese",
    "data_says": "Wat de data zeggen",
    "unit": "Groep en schooljaar",
    "treated": "Met interventie",
    "adjusted_mean": "Gemiddelde (gecorrigeerd voor de voormeting)",
    "mean_z": "Gemiddelde (z)",
}


def report_columns(df):
    """Copy of a report table with the Dutch headers of :data:`REPORT_LABELS`."""
    return df.rename(columns=REPORT_LABELS)


#: period of a test -> the tests in a sentence ("eindtoetsen")
PERIOD_TEST_LABELS: dict[str, str] = {"B": "begintoetsen", "M": "middentoetsen", "E": "eindtoetsen"}


def fmt_date(iso) -> str | None:
    """A date the Dutch way: ``'2026-06-30'`` -> ``'30-06-2026'`` (other text unchanged).

    >>> fmt_date("2026-06-30"), fmt_date("na de kerst"), fmt_date(None)
    ('30-06-2026', 'na de kerst', None)
    """
    if not iso:
        return iso
    import pandas as pd

    try:
        return pd.Timestamp(str(iso)).strftime("%d-%m-%Y")
    except (ValueError, TypeError):
        return str(iso)
