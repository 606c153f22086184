//! The county map's words (docs/charts.md#county-map-chartscounty_map-run-and-batch): Sweden's 21 counties, each
//! coloured by when the coordinating unit of the organisation carrying its `county_code`
//! (the county board's duty officer, the county's regional coordination function) came
//! to know the first key fact. Drawn by [`super::map::Map`] from `counties.csv`.

use super::map_data::MapLabels;

pub static EN: MapLabels = MapLabels {
    title: "County map: when each county's regional coordination knew the first key fact",
    sub_run: "Key fact: {}. Time the county board's coordinating unit (regional coordination) came to know it; one run",
    sub_batch: "Key fact: {}. Time the county board's coordinating unit (regional coordination) came to know it; median over {} runs",
    scale_run: "Minutes from start · clock",
    scale_batch: "Median minutes · clock",
    never: "never / no unit",
    no_org: "no organisation with the county's code in the scenario",
    incident: "incident",
    caption: "Sweden by county. Each county is coloured by when the coordinating unit of the organisation carrying its county code (the county board's duty officer: the county's regional coordination function) came to know the first key fact, the fact with the earliest origin in the information timeline. Light is early, dark is late; grey: never within the scenario, or no coordinating unit. A batch shows the median over runs, counting a run in which the unit never knew as later than every time (so the median is 'never' when half the runs or more never knew). Counties without such an organisation are outlined only.",
    dot: "The dot marks the incident.",
    table_note_run: "Minutes from the scenario start, and the scenario's local clock.",
    table_note_batch: "Over the runs of the base variant: median with the 10th and 90th percentiles (type 7; a run in which the unit never knew counts as later than every time, so a percentile is 'never' when that share of runs or more never knew), and the share of runs in which the unit knew.",
    municipality: "County",
    code: "Code",
    time: "Minutes",
    clock: "Clock",
    median: "Median (min)",
    p10_p90: "p10–p90 (min)",
    knew: "Runs that knew",
    no_unit: "no coordinating unit",
    file_note: "per county on the county map: when its regional coordination knew the first key fact (minutes)",
    location_note: "the incident's place marked on the map (degrees, WGS 84)",
};

pub static SV: MapLabels = MapLabels {
    title: "Länskarta: när varje läns regionala samordning kände till den första nyckelhändelsen",
    sub_run: "Nyckelhändelse: {}. När länsstyrelsens samordnande enhet (regional samordning) fick veta; en körning",
    sub_batch: "Nyckelhändelse: {}. När länsstyrelsens samordnande enhet (regional samordning) fick veta; median av {} körningar",
    scale_run: "Minuter från start · klocka",
    scale_batch: "Median, minuter · klocka",
    never: "aldrig / ingen enhet",
    no_org: "ingen organisation med länets kod i scenariot",
    incident: "händelse",
    caption: "Sverige per län. Varje län är färgat efter när den samordnande enheten hos organisationen med länets länskod (länsstyrelsens tjänsteman i beredskap: länets regionala samordningsfunktion) fick veta den första nyckelhändelsen, den med tidigast ursprung i informationens tidslinje. Ljust är tidigt, mörkt är sent; grått: aldrig under scenariot, eller ingen samordnande enhet. En körningsserie visar medianen av körningarna, där en körning då enheten aldrig fick veta räknas som senare än alla tider (medianen är alltså 'aldrig' när minst hälften av körningarna aldrig fick veta). Län utan en sådan organisation är bara konturer.",
    dot: "Punkten markerar händelsen.",
    table_note_run: "Minuter från scenariots start, och scenariots lokala klocka.",
    table_note_batch: "Över grundscenariots körningar: median med 10:e och 90:e percentilen (typ 7; en körning då enheten aldrig fick veta räknas som senare än alla tider, så en percentil är 'aldrig' när minst den andelen körningar aldrig fick veta), och andelen körningar då enheten fick veta.",
    municipality: "Län",
    code: "Kod",
    time: "Minuter",
    clock: "Klocka",
    median: "Median (min)",
    p10_p90: "p10–p90 (min)",
    knew: "Körningar som fick veta",
    no_unit: "ingen samordnande enhet",
    file_note: "per län på länskartan: när dess regionala samordning fick veta den första nyckelhändelsen (minuter)",
    location_note: "händelsens plats på kartan (grader, WGS 84)",
};
