"""The closed list of legal bases under which information is recorded and shared.

R-115-1 (LAW.md B1): every disclosure carries one of these; saving without one is
refused. The labels cite the provision so that a user sees what they invoke.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LegalBasis(models.TextChoices):
    RPL115_1_1_SSP = (
        "RPL115_1_1_SSP",
        _("Administration of Justice Act §115(1)(1), SSP"),
    )
    RPL115_1_2_PSP = (
        "RPL115_1_2_PSP",
        _("Administration of Justice Act §115(1)(2), PSP"),
    )
    RPL115_1_3A_KSP = (
        "RPL115_1_3a_KSP",
        _("Administration of Justice Act §115(1)(3)(a), KSP"),
    )
    RPL115_1_3B_KSP_U18 = (
        "RPL115_1_3b_KSP_U18",
        _("Administration of Justice Act §115(1)(3)(b), KSP under 18"),
    )
    RPL115_1_3C_KSP_RADICAL = (
        "RPL115_1_3c_KSP_RADICAL",
        _("Administration of Justice Act §115(1)(3)(c), KSP radicalisation"),
    )
    RPL115_2 = "RPL115_2", _("Administration of Justice Act §115(2)")
    RPL115_3 = "RPL115_3", _("Administration of Justice Act §115(3)")
    RPL115_5_GANG = (
        "RPL115_5_GANG",
        _("Administration of Justice Act §115(5), gang information"),
    )
    RPL115A_RELATIVES_18PLUS = (
        "RPL115a_RELATIVES_18PLUS",
        _("Administration of Justice Act §115 a, relatives of persons 18+"),
    )
    RETSSIKL_11E_SSD = "RETSSIKL_11e_SSD", _("Legal Protection Act §11 e, SSD")
    RETSSIKL_11F_OVERGREB = (
        "RETSSIKL_11f_OVERGREB",
        _("Legal Protection Act §11 f, abuse"),
    )
    BARNETSLOV_126_BOERNEHUS = (
        "BARNETSLOV_126_BOERNEHUS",
        _("Children's Act §126, children's house"),
    )
    CONSENT = "CONSENT", _("Consent (Public Administration Act §28(2)(1))")
    BARNETSLOV_133_UNDERRETNING = (
        "BARNETSLOV_133_UNDERRETNING",
        _("Children's Act §133, notification of concern"),
    )
    OWN_TASK = "OWN_TASK", _("The recording agency's own statutory task")
    OTHER_STATUTE = "OTHER_STATUTE", _("Other statute")
