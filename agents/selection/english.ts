/**
 * Everyday English words. A PanDA queue or site name is never one of these ("is everything online?",
 * "maxrss of at least 64000", "the new queue"), and an identifier made only of them
 * (`copy_in`, `UTILITY_BEFORE_PAYLOAD`) is an option or variable, not a queue.
 */

const WORDS = `
a about above across act action actually add after again against ago all allow almost alone along already also always am
among an and another any anybody anyone anything anyway anywhere apart app apps are area around as ask asked at available
away back bad base be because become been before behind being below best better between big bit both bottom box bring
build built busy but by call came can cannot case cause certain change check choose clear close come common complete
could count couple current currently day days default did different do does doing done down during each early easy
either else empty enable end enough entire even ever every everybody everyone everything everywhere example except
exist extra fact far fast few find fine first fix for free from front full get give given go going gone good got great
group half hand happen hard has have having he her here high him his hold home how however i if in inside instead into
is it item its just keep kind know large last late later least left less let level like likely limit line list little
live long look lot low main make many may maybe me mean might mine minute mode more most much must my name near need
never new next no none normal not nothing now number of off often old on once one only open or order other others our
out over own part past per place plan please point possible pretty previous quick quite rather real really reason right
run same say second see seem self set several shall she short should show side simple since single size small so some
somebody someone something sometimes somewhere soon start still stop such sure system take than that the their them
then there these they thing things think this those though through time to today together tomorrow too top total true
try turn type under until up upon us use used user using usual usually value very via wait want was way we week well
were what when where whether which while who whole whom whose why will with within without word work working would
yes yesterday yet you your
access account admin answer api application average backup before after begin bigger block book browser bug build cache
card center centre class client cluster code command computer config copy data database date delete desk device
direction disk document download email engine entry error event file filter folder form format function guide hardware
help host image index info input install key language laptop library link local machine mail manager map memory
message method model module monitor network node note office option output package page password path phone picture
plugin policy port print process program project proxy query queue record remote report request resource result
room save screen script search server service session setting share site software source space speed state status
step storage store stream string table tablet task test text thread tool update upload url version view web website
window world write
utility payload stuck hold holding waiting pending dead alive max min sit related virtual unified pseudo
problem problems issue trouble question answer idea thought story news photo photos video music movie game car bus train
plane airline airport hotel trip travel money price cost bill order shop shopping market stock bank card pay payment
food drink water coffee tea lunch dinner breakfast house flat apartment city country town street road park garden
school university student teacher professor class course lesson exam thesis essay paper letter cover meeting calendar
appointment person people man woman child children family friend boss colleague team company business customer
office building floor door room chair light power energy weather rain sun snow summer winter spring autumn morning
evening night hour month year birthday holiday weekend party gift present job career interview salary
manual broken tiny huge slow hot cold warm cool nice happy sad funny strange weird
odd young lazy ready finished able unable important interesting worse worst
cheap expensive paid public private personal official special general specific particular similar
express regular standard premium basic advanced complex wide deep closed safe secure dangerous fake false correct wrong north south east west central
tonight weekly daily monthly yearly annual recent latest earlier final initial primary secondary
global internal external online offline
went gone came made took gave kept tell told knew known thought feel felt brought buy bought sell sold send sent spend spent
read wrote written speak spoke talk said learn began finish move play watch listen hear heard meet met reserve cancel remove create
explain describe compare recommend suggest prefer pick decide prepare clean reset restart install
upgrade share scan paste load lose lost win won miss love hate
hope wish wonder worry care matter appear belong depend require include contain support provide offer
accept refuse agree understand remember forget nobody whatever whichever whoever
`;

const SET = new Set(WORDS.trim().split(/\s+/));

/** True when `word` (any case) is an everyday English word or a plain inflection of one ("queues", "jobs", "running"). */
export function isEnglishWord(word: string): boolean {
  const w = word.toLowerCase();
  if (SET.has(w)) return true;
  if (w.length > 3 && w.endsWith('s') && SET.has(w.slice(0, -1))) return true;
  if (w.length > 4 && w.endsWith('es') && SET.has(w.slice(0, -2))) return true;
  if (w.length > 4 && (w.endsWith('ed') || w.endsWith('er')) && (SET.has(w.slice(0, -2)) || SET.has(w.slice(0, -1)))) return true;
  if (w.length > 5 && w.endsWith('ing') && (SET.has(w.slice(0, -3)) || SET.has(`${w.slice(0, -3)}e`))) return true;
  if (w.length > 4 && w.endsWith('ly') && SET.has(w.slice(0, -2))) return true;
  return false;
}
