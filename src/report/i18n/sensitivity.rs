//! Words of the sensitivity part of a batch report (the tornado chart and the table),
//! in English and Swedish.

use super::Lang;

pub struct SensitivityLabels {
    pub title: &'static str,
    pub sub_sobol: &'static str,
    pub sub_morris: &'static str,
    pub first_order: &'static str,
    pub total: &'static str,
    pub mu_star: &'static str,
    pub sigma: &'static str,
    pub sobol_axis: &'static str,
    pub morris_axis: &'static str,
    pub no_indices: &'static str,
    /// The table's heading and its note.
    pub heading: &'static str,
    pub note_sobol: &'static str,
    pub note_morris: &'static str,
    pub output: &'static str,
    pub parameter: &'static str,
    pub probability_of: &'static str,
    pub caption: &'static str,
    pub file_note: &'static str,
}

pub const EN: SensitivityLabels = SensitivityLabels {
    title: "Sensitivity: which parameters move the results",
    sub_sobol: "Sobol indices per parameter (bar: total index ST, dark bar: first-order S1; whiskers: bootstrap 95 % intervals)",
    sub_morris: "Morris screening per parameter (bar: μ*, the mean absolute elementary effect; whisker: bootstrap 95 % interval)",
    first_order: "first order S1",
    total: "total ST",
    mu_star: "μ*",
    sigma: "σ",
    sobol_axis: "share of the output's variance",
    morris_axis: "μ*: change in the output across the parameter's whole range",
    no_indices: "No output varied over the design, so there are no indices",
    heading: "Sensitivity",
    note_sobol: "Sobol indices of the base (other variants in sensitivity.csv). S1: the share of the output's variance due to the parameter alone; ST: including its interactions. An ST whose interval reaches 0 marks a parameter that does not matter for that output. Each design point's output is the mean over its replications (for an objective: the share of runs meeting it).",
    note_morris: "Morris screening of the base (other variants in sensitivity.csv). μ*: the mean absolute change in the output when the parameter moves across its whole range; σ: how much that change varies (interactions, non-linearity). Each design point's output is the mean over its replications (for an objective: the share of runs meeting it).",
    output: "Output",
    parameter: "Parameter",
    probability_of: "probability of meeting",
    caption: "One panel per output (objectives' probabilities first, then the headline measures that vary most), one bar per ranged parameter, longest first. For a Sobol design the light bar is the total index ST and the dark bar the first-order index S1 (both shares of the output's variance, 0–1); for a Morris design the bar is μ* in the output's own units. Whiskers are bootstrap 95 % intervals. The numbers are in sensitivity.csv.",
    file_note: "sensitivity indices per variant, output and parameter, with bootstrap 95 % intervals",
};

pub const SV: SensitivityLabels = SensitivityLabels {
    title: "Känslighet: vilka parametrar som påverkar resultaten",
    sub_sobol: "Sobolindex per parameter (stapel: totalindex ST, mörk stapel: förstaordningsindex S1; morrhår: 95 % bootstrapintervall)",
    sub_morris: "Morrisscreening per parameter (stapel: μ*, medelvärdet av elementäreffekternas belopp; morrhår: 95 % bootstrapintervall)",
    first_order: "förstaordning S1",
    total: "total ST",
    mu_star: "μ*",
    sigma: "σ",
    sobol_axis: "andel av utfallets varians",
    morris_axis: "μ*: ändring i utfallet över parameterns hela intervall",
    no_indices: "Inget utfall varierade över designen, så det finns inga index",
    heading: "Känslighet",
    note_sobol: "Sobolindex för grundscenariot (övriga varianter i sensitivity.csv). S1: den andel av utfallets varians som parametern ensam förklarar; ST: inklusive samspel. Ett ST vars intervall når 0 visar en parameter som inte spelar roll för det utfallet. Varje designpunkts utfall är medelvärdet över dess upprepningar (för ett mål: andelen körningar som når det).",
    note_morris: "Morrisscreening för grundscenariot (övriga varianter i sensitivity.csv). μ*: den genomsnittliga ändringen (belopp) i utfallet när parametern går över hela sitt intervall; σ: hur mycket ändringen varierar (samspel, icke-linjäritet). Varje designpunkts utfall är medelvärdet över dess upprepningar (för ett mål: andelen körningar som når det).",
    output: "Utfall",
    parameter: "Parameter",
    probability_of: "sannolikhet att nå",
    caption: "En panel per utfall (målens sannolikheter först, sedan de nyckeltal som varierar mest), en stapel per parameter, längst först. För en Soboldesign är den ljusa stapeln totalindex ST och den mörka förstaordningsindex S1 (båda andelar av utfallets varians, 0–1); för en Morrisdesign är stapeln μ* i utfallets egen enhet. Morrhåren är 95 % bootstrapintervall. Siffrorna finns i sensitivity.csv.",
    file_note: "känslighetsindex per variant, utfall och parameter, med 95 % bootstrapintervall",
};

impl Lang {
    pub fn sensitivity(self) -> &'static SensitivityLabels {
        match self {
            Lang::En => &EN,
            Lang::Sv => &SV,
        }
    }
}

impl super::Labels {
    /// The sensitivity words of this language.
    pub fn sensitivity(&self) -> &'static SensitivityLabels {
        if self.code == super::SV.code { &SV } else { &EN }
    }
}
