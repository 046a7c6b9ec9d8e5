// Pieces of the street-address patterns shared by the address recognizer's readers (as regular expression source).

/** Street types written after the street's name ("Tasman Drive", "Executive Park"). */
export const SUFFIX =
  "(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Ter|Circle|Cir|Parkway|Pkwy|Highway|Hwy|Square|Sq|Squares|Plaza|Trail|Trl|Alley|Row|Crescent|Close|Str|Strasse|Straße|Gatan|Vej|Union|Extensions?|Fort|Walk|Mews|Gardens|Hill|Park|Expressway|Expy|Freeway|Fwy|Turnpike|Tpke)";
// tokenised text puts a space before punctuation ("Suite 1400 , West Palm Beach , Florida 33401", "Ste . 350")
/** A unit after the street: ", Suite 200", " Ste. 350", ", #4". */
export const UNIT = "(?:[ ]?,?\\s*(?:Suite|Ste|Apt|Apartment|Unit|Floor|Fl|Room|Rm|#)[ ]?\\.?\\s*[\\w-]+)";
/** The town, state and ZIP after a street: ", Santa Clara, CA 95054", " , Newton , Massachusetts 02459". */
export const CITY_STATE_ZIP = "(?:[ ]?,?\\s+[\\p{Lu}][\\p{L}.'-]*(?:\\s+[\\p{Lu}][\\p{L}.'-]*){0,3}[ ]?,?\\s+(?:[A-Z]{2}|[A-Z][a-z]+)\\s+\\d{5}(?:[ ]?-[ ]?\\d{4})?)";
