//! Words of the partial-dependence chart ([`super::super::partial`]), in English and
//! Swedish.

/// The partial-dependence chart's words in one language.
pub struct PartialLabels {
    pub title: &'static str,
    /// "{measure}", "{base variant}".
    pub sub: &'static str,
    /// "{n}" parameters without a panel.
    pub more: &'static str,
    pub point: &'static str,
    pub binned: &'static str,
    pub caption: &'static str,
}

pub const EN: PartialLabels = PartialLabels {
    title: "Design: how the result depends on each parameter",
    sub: "{} ({}) over each parameter's value; the same scale in every panel",
    more: "{} more parameters in stats.csv",
    point: "design point (mean over its runs)",
    binned: "mean over the design points, binned by the parameter's value",
    caption: "The design points do not form a grid, so there is no heatmap: each panel puts every design point (hollow dot: the mean of the headline measure over the point's runs, in minutes) over one parameter's value, and the line joins the mean over the points binned by that value (below 10 design points one per point, else about √n bins of equal size). With the other parameters spread over the design, the line's slope is that parameter's effect; every panel has the same vertical scale, so a flat line is a parameter that does not matter. Durations are in minutes; values that are not numbers are sorted alphabetically.",
};

pub const SV: PartialLabels = PartialLabels {
    title: "Design: hur resultatet beror av varje parameter",
    sub: "{} ({}) mot varje parameters värde; samma skala i alla paneler",
    more: "{} fler parametrar i stats.csv",
    point: "designpunkt (medelvärde över dess körningar)",
    binned: "medelvärde över designpunkterna, grupperade efter parameterns värde",
    caption: "Designpunkterna bildar inget rutnät, så det finns ingen värmekarta: varje panel visar varje designpunkt (ihålig punkt: huvudmåttets medelvärde över punktens körningar, i minuter) mot en parameters värde, och linjen förbinder medelvärdet över punkterna grupperade efter det värdet (under 10 designpunkter en per punkt, annars omkring √n lika stora grupper). När de andra parametrarna är spridda över designen är linjens lutning parameterns effekt; alla paneler har samma lodräta skala, så en plan linje är en parameter som inte spelar roll. Tidslängder anges i minuter; värden som inte är tal sorteras i bokstavsordning.",
};

impl super::Labels {
    /// The partial-dependence words of this language.
    pub fn partial(&self) -> &'static PartialLabels {
        if self.code == super::SV.code { &SV } else { &EN }
    }
}
