import { isEnglishWord } from "./lexicons";

/** Job titles ("Leasing consultant", "Chief Financial Officer"), in any case: a role, not a name. */
const TITLE_WORD =
  /^(?:manager|director|consultant|president|officer|assistant|associate|partner|counsel|attorney|lawyer|paralegal|secretary|clerk|chairman|chairwoman|chairperson|chair|chief|head|lead|ceo|cfo|coo|cto|vp|svp|evp|founder|owner|analyst|engineer|specialist|coordinator|supervisor|administrator|representative|executive|agent|advisor|adviser|nurse|teacher|technician|scientist|designer|developer|accountant|auditor|intern|trainee|student|professor|lecturer|doctor|physician|surgeon|therapist|worker|operator|inspector|planner|writer|editor|producer|title|signatory)s?$/i;
/** Occupations made with a suffix ("Echocardiographer", "installer", "cleaner"). */
const TITLE_ENDING = /(?:grapher|ologist|ician|ist|er|or|ant|ent)$/i;

/** One word of a job title ("Director", "CFO", "Title"). */
export function isJobTitleWord(word: string): boolean {
  return TITLE_WORD.test(word);
}

/** A line that is a job title: its last word names an occupation ("Cable line installer", "Senior Vice President"). */
export function isJobTitle(line: string): boolean {
  const last = line.split(/\s+/).pop() ?? "";
  return TITLE_WORD.test(last) || (TITLE_ENDING.test(last) && (isEnglishWord(last) || /(?:grapher|ologist|ician)$/i.test(last)));
}
