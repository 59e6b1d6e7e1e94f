"""Answer sets for walking the self-check, as a visitor would enter them on each screen.

A choice is its option id; a number is ("value", text) or ("value", text, upper limit) or
"normal" / "unsure". Shared by the AppTest and browser tests.
"""
FINE_MAN = {
    "age": ("value", "45"), "sex": "male", "ecog": "ecog1", "survival": "yes",
    "pathology": "yes", "advanced": "yes", "sarcoma_type": "liposarcoma", "evaluable": "yes", "liver_mets": "no", "brain_mets": "no",
    "anthracycline_cycles": ("value", "6"), "response": "stable", "grown_since": "no", "prior_anlotinib": "no", "recent_systemic": "no", "planned_therapy": "no",
    "recent_radiotherapy": "no", "recent_surgery": "no", "other_trial": "no", "lasting_side_effects": "no",
    "hemoglobin": "normal", "neutrophils": "normal", "platelets": ("value", "80"), "albumin": "normal",
    "creatinine": "normal", "creatinine_clearance": "normal", "urea": "normal", "bilirubin": "normal",
    "alt": "normal", "ast": "normal", "lvef": "normal",
    "other_cancer": "no", "swallowing": "no", "effusion": "no", "thyroid": "no", "bp_medicine": "no", "bp_top": "no", "bp_bottom": "no",
    "heart_rhythm": "no", "heart_ischemia": "no", "heart_attack": "no", "qtc": ("value", "420"), "heart_failure": "no", "glucose": "normal", "infection": "no",
    "hbsag": "no", "hcv": "no", "urine_protein": "no", "seizures": "no", "unhealed_wound": "no", "bleeding": "none",
    "blood_clot": "no", "substance_mental": "no", "contraception_men": "yes",
}
# Not sure about two things: the outcome is "check with your doctor".
UNSURE_WOMAN = {
    **FINE_MAN, "sex": "female", "ecog": "unsure", "lvef": "unsure",
    "could_become_pregnant": "yes", "pregnant": "no", "breastfeeding": "no", "contraception_women": "yes",
}
# 72 years old, and ALT 4 x ULN without liver metastases: probably not for this study.
RULED_OUT = {**FINE_MAN, "age": ("value", "72"), "alt": ("value", "160", "40")}
# HBsAg positive brings the HBV DNA question onto the same screen.
HEPATITIS_B = {**FINE_MAN, "hbsag": "yes", "hbv_dna": ("value", "800")}

PROFILES = {"nothing_rules_out": FINE_MAN, "check_with_doctor": UNSURE_WOMAN, "probably_not": RULED_OUT}
