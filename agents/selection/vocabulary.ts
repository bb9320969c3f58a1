/**
 * Word lists behind the intent rules, written from the routing README's intent definitions and the
 * way ATLAS users ask. Every pattern runs on lower-case, typo-corrected text.
 */

/**
 * One alternation of the listed words. Longer alternatives are tried first, so a phrase wins over
 * its first word ("tack så mycket" over "tack") when the list is used to blank matches out.
 */
const words = (list: string): RegExp =>
  new RegExp(
    String.raw`\b(?:${topLevelAlternatives(list)
      .sort((a, b) => b.length - a.length)
      .join('|')})\b`,
  );

/** The alternatives of a `|`-separated list, split only outside parentheses. */
function topLevelAlternatives(list: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    if (c === '\\') i++;
    else if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (c === '|' && depth === 0) {
      out.push(list.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(list.slice(start).trim());
  return out.filter(Boolean);
}

/** Greetings, thanks and small talk. A message that is only these is chitchat. */
export const SMALL_TALK = words(String.raw`
  problem\s+solved | (?:that|it)\s+(?:fixed|solved)\s+it | you\s+saved\s+my\s+(?:day|life|week|bacon) | (?:i\s+)?love\s+(?:this|you|it)(?:\s+bot)?
  | (?:that|this|it|the|your)\s+(?:answer|reply|response)?\s*(?:was|is)\s+(?:not\s+|very\s+|so\s+|really\s+)?(?:wrong|right|correct|helpful|useful|useless|great|perfect|good|bad|funny|clear|unclear)
  | not\s+(?:bad|helpful|useful)(?:\s+at\s+all)? | what'?s\s+new | how'?s\s+life | how\s+is\s+life | for\s+now | talk\s+(?:to\s+you\s+)?(?:later|soon) | wow | impressive
  |  (?:nice|pleased|glad)\s+to\s+meet\s+you | happy\s+(?:monday|friday|weekend|holidays?|new\s+year) | that'?s\s+(?:funny|hilarious|cute|sweet|kind)
  | (?:nice|great|good|awesome|excellent|brilliant)\s+(?:work|job|answer|one|stuff|reply) | thank\s+u | tysm | appreciated
  | hi | hii+ | hello+ | hallo+ | hey+ | hiya | howdy | yo | greetings | hola | bonjour | ciao | salut | servus | moin | good\s+(?:morning|afternoon|evening|night|day) | gm | morning | afternoon | evening
  | danke(?:\s+(?:sch[oö]n|sehr|vielmals))? | vielen\s+dank | merci(?:\s+beaucoup)? | gracias | grazie(?:\s+mille)? | obrigad[oa] | dzi[eę]kuj[eę] | d[ií]ky | spasibo | arigato | tack | dank\s+je(?:wel)?
  | guten\s+(?:morgen|tag|abend) | buongiorno | buenos\s+d[ií]as | dzie[nń]\s+dobry | dobr[yý]\s+den | hej | ahoj | privet
  | muchas\s+gracias | mil\s+gracias | grazie\s+tante | moltes\s+gr[aà]cies | dzi[eę]kuj[eę]\s+bardzo | d[eě]kuji | diky\s+moc | tusen\s+takk | tack\s+s[aå]\s+mycket | dank\s+u(?:\s+wel)? | hartelijk\s+dank | muito\s+obrigad[oa]
  | f[uü]r\s+(?:die|ihre|deine|eure)\s+hilfe | pour\s+(?:ton|votre|ta|l')\s*aide | per\s+(?:l'|il\s+tuo\s+|il\s+suo\s+)\s*aiuto | por\s+(?:tu|su|la)\s+ayuda | pela\s+ajuda | za\s+pomoc | voor\s+de\s+hulp
  | see\s+(?:you|ya)\s+(?:tomorrow|soon|later|next\s+week|around|then|on\s+monday) | bis\s+(?:sp[aä]ter|morgen|bald|dann) | hasta\s+(?:luego|ma[nñ]ana|pronto) | a\s+(?:plus|bient[oô]t|demain|dopo|domani|presto) | ci\s+vediamo
  | i'?m\s+new\s+(?:here|to\s+(?:this|you)) | (?:nice|good)\s+to\s+(?:be\s+here|see\s+you)
  | (?:molto|muy|tres|sehr|super|bardzo|really|very|so|quite)\s+(?:utile|util|hilfreich|pomocne|nett|gentile|amable|gentil) | das\s+hat\s+(?:mir\s+)?(?:sehr\s+)?geholfen | (?:c'?est|cest)\s+(?:parfait|super|genial|top|gentil|clair)
  | [cç]a\s+va | bardzo | vielmals | beaucoup | tante | mille | muchas | mucho | moc
  | perfetto | perfecto | perfeito | genial | prima | toll | klasse | wunderbar | molto | muy | sehr
  | zusammen | allerseits | tout\s+le\s+monde | a\s+todos | a\s+tutti | wszystkim | buonasera | bonsoir | bonne\s+(?:journ[ée]e|soir[ée]e) | buenas\s+(?:tardes|noches) | boa\s+(?:tarde|noite) | bom\s+dia | goedemorgen | dobry\s+wiecz[oó]r | tsch[uü]ss | au\s+revoir | adi[oó]s | arrivederci | do\s+widzenia | na\s+shledanou
  | (?:i\s+)?hope\s+(?:you(?:'?re|\s+are)|all\s+is|everything\s+is|you\s+have|you(?:'?re|\s+are)\s+having)\s+(?:doing\s+)?(?:(?:very|really|so)\s+)?(?:well|good|fine|great|ok(?:ay)?|a\s+(?:good|nice|great)\s+(?:day|week|weekend))
  | thanks?(?:\s+(?:you|so\s+much|a\s+lot|again|anyway))* | thx | ty | cheers | many\s+thanks | much\s+appreciated | appreciate\s+it
  | great | awesome | perfect | nice | cool | ok(?:ay)? | k | got\s+it | understood | excellent | brilliant | wonderful | amazing | super
  | bye | goodbye | see\s+(?:you|ya) | later | have\s+a\s+(?:nice|good|great)\s+(?:day|one|evening|weekend)
  | you(?:'?re|\s+are)\s+(?:(?:very|so|really|truly|a)\s+)?(?:welcome|great|awesome|the\s+best|helpful|useless|amazing|smart|star|legend|lifesaver) | lol | haha+ | sorry | no\s+worries | never\s*mind | nvm
  | good\s+(?:bot|job|work) | well\s+done | that\s+(?:helped|works|worked) | it\s+works\s+now | that'?s\s+(?:all|it|great|helpful)
  | test | testing | one\s+two\s+three | 1\s+2\s+3 | ping
  | (?:that'?s|this\s+is|it'?s)\s+not\s+what\s+i\s+(?:asked|meant|wanted|needed) | not\s+what\s+i\s+(?:asked|meant|wanted) | you\s+misunderstood(?:\s+me)? | i\s+meant\s+something\s+else
  | wrong\s+(?:channel|chat|thread|window|room) | how\s+(?:r|are)\s+(?:u|you|ya) | really | indeed | truly | honestly | seriously | everybody | y'?all
  | there | all | again | very | much | so | a\s+lot | for\s+(?:the|your)\s+help | for\s+helping | folks | everyone | team | bot | mate | guys
  | ask\s*panda | askpanda | panda\s*bot | pandabot | assistant | buddy | friend | dear
`);

/** A message that opens or closes with a greeting or thanks ("thanks, that solved it", "hello, can you help me?"). */
export const GREETING_EDGE =
  /^\W*(?:hi|hii+|hey+|hello+|hallo+|hiya|howdy|yo|gm|greetings|bonjour|hola|ciao|salut|servus|moin|hej|ahoj|guten\s+(?:morgen|tag|abend)|buongiorno|thanks?|thank\s+you|thx|ty|tysm|cheers|many\s+thanks|good\s+(?:morning|afternoon|evening|night|day)|dear\s+(?:bot|assistant))\b|\b(?:thanks?|thank\s+you|thx|ty|cheers|bye|goodbye)\W*$/;

/** Addressing the bot by name ("hey panda, …", "askpanda:"): not a PanDA topic by itself. */
export const BOT_ADDRESS = /^\W*(?:(?:hi|hey|hello|yo|dear|ok|okay|thanks?)\W+)?(?:ask\s*)?panda(?:\s*bot)?\b\W*|\W+(?:ask\s*)?panda(?:\s*bot)?\W*$/;

/** Questions about the assistant itself. */
export const ABOUT_ASSISTANT =
  /\b(?:what\s+(?:can|do|could|should)\s+(?:you|i)\s+(?:do|ask|help|know)|what\s+(?:are|do)\s+you\b|who\s+(?:are|made|built|created|wrote|runs)\s+you|are\s+you\s+(?:an?\s+)?(?:bot|human|robot|real|ai|an?\s+llm|llm|chatgpt|alive|there|online|awake)(?:\s+or\s+(?:just\s+|only\s+|simply\s+)?(?:an?\s+)?[\w-]+(?:\s+[\w-]+)?(?=\W*$))?|you\s+there(?=\W*$)|any(?:one|body)\s+(?:there|around|home)|bist\s+du\s+(?:da|online|wach)|sind\s+sie\s+da|(?:es-?tu|t'?es)\s+l[aà]|est[aá]s\s+ah[ií]|ci\s+sei|jeste[sś]\s+tam|how\s+are\s+you|how(?:'?s|\s+is)\s+it\s+going|how(?:'?s|\s+is|\s+was)\s+your\s+(?:day|week|weekend|morning|evening|afternoon)|how\s+have\s+you\s+been|how\s+are\s+things|what'?s\s+up|what'?s\s+your\s+name|your\s+name|how\s+do\s+(?:i\s+use\s+)?you\s+work|how\s+(?:do|should)\s+i\s+use\s+(?:you|this\s+bot)|can\s+you\s+help(?:\s+me)?\s*\??$|help\s*\??$|what\s+is\s+this\s+bot|tell\s+me\s+(?:\w+\s+){0,3}about\s+yourself|(?:can|do|could)\s+you\s+(?:also\s+)?speak\s+[a-z]+|you(?:'?re|\s+are)\s+(?:so\s+|very\s+|a\s+bit\s+|too\s+|really\s+)?(?:slow|fast|quick|wrong|right|funny|smart|clever|stupid|dumb|broken)(?:\s+today)?|your\s+purpose|what\s+are\s+you\s+for|yourself|can\s+i\s+ask\s+(?:you\s+)?(?:something|a\s+(?:quick\s+)?question)|are\s+you\s+(?:powered|built|made|based|running|trained)\b|(?:which|what)\s+version\s+are\s+you|your\s+(?:favou?rite|age|mood|opinion|hobby|hobbies|creator|maker|version)|do\s+you\s+(?:like|love|enjoy|dream|sleep|feel|eat|get\s+tired)|which\s+(?:model|llm)\s+are\s+you|what\s+(?:model|llm)\s+(?:are|do)\s+you|(?:do|can|will|would)\s+you\s+(?:still\s+)?(?:remember|recall|forget|learn|keep\s+track)|what\s+(?:kinds?|sorts?|types?)\s+of\s+(?:questions?|things|stuff)\s+(?:can|could|should|do|may)\s+(?:i|we|you)|what\s+(?:else\s+)?(?:can|could|may)\s+i\s+ask|(?:what\s+)?are\s+you\s+(?:able|allowed|capable)\s+(?:to|of)|what\s+(?:are|is)\s+your\s+(?:capabilities|limits|limitations|skills|features)|how\s+old\s+are\s+you|where\s+(?:are\s+you\s+from|do\s+you\s+live)|can\s+we\s+(?:chat|talk)|let'?s\s+(?:chat|talk)|tell\s+me\s+(?:\w+\s+){0,3}about\s+you\b|are\s+you\s+(?:smarter|better|faster|dumber|worse|slower)\s+than|(?:what|which|how\s+many)\s+languages?\s+(?:do|can)\s+you|wer\s+bist\s+du|wer\s+sind\s+sie|was\s+(?:kannst|k[oö]nnen)\s+(?:du|sie)|wie\s+geht'?s|wie\s+geht\s+es\s+(?:dir|ihnen)|qui\s+(?:es-?tu|êtes-?vous|etes-?vous)|comment\s+(?:[çc]a\s+va|vas-?tu|allez-?vous)|qu(?:i[eé]n|e)\s+eres|c[oó]mo\s+est[aá]s|qu[eé]\s+tal|chi\s+sei|come\s+(?:stai|va)|kim\s+jeste[sś]|jak\s+si[eę]\s+masz|kdo\s+jsi|jak\s+se\s+m[aá][sš]|wie\s+ben\s+(?:je|jij)|hoe\s+gaat\s+het|vem\s+[aä]r\s+du|hur\s+m[aå]r\s+du|tudo\s+bem|como\s+vai|quem\s+[eé]\s+voc[eê])\b/;

/** Requests that are unrelated to PanDA whatever else they mention. */
export const UNRELATED = words(String.raw`
  weather | forecast | temperature\s+(?:outside|today|tomorrow) | capital\s+of | population\s+of | poem | poems | haiku | limerick | sonnet | song | lyrics | rap
  | joke | jokes | riddle | story\s+about | bedtime\s+story | recipe | recipes | cook | cooking | bake | pizza | pasta | restaurant | restaurants | lunch | dinner | coffee
  | football | soccer | basketball | tennis | world\s+cup | olympics | movie | movies | film | netflix | tv\s+show | series\s+to\s+watch | celebrity
  | stock\s+(?:prices?|market|quotes?) | share\s+prices? | exchange\s+rates? | currency | currencies | stocks | bitcoin | crypto | ethereum | invest | mortgage | salary | taxes | tax\s+return | pension
  | (?:order|buy|purchase|procure)\s+(?:me\s+|us\s+)?(?:(?:a|an|some|new|more|\d+(?:\.\d+)?\s*(?:[kmgtp]b|tb|pb|x)?)\s+)*[\w-]+(?:\s+[\w-]+){0,3}\s+(?:from|at|on)\s+(?:dell|hp|lenovo|supermicro|amazon|ebay|a\s+vendor|the\s+vendor|the\s+shop|the\s+store)
  | (?:can|could|would|will)\s+you\s+(?:please\s+)?(?:buy|purchase|procure|pay\s+for)\b
  | translate | translation | (?:meeting|conference)\s+rooms? | book\s+a\s+room | room\s+bookings? | (?:book|reserve)\s+(?:me\s+)?(?:a|an|the)\s+(?:\w+\s+)?(?:room|table|desk|flight|hotel|ticket|taxi|seat|car)
  | airlines? | airport | boarding\s+pass | train\s+(?:tickets?|station|schedule|timetable) | taxi | uber | groceries | grocery
  | cover\s+letter | thesis | dissertation | essay | essays | homework | job\s+(?:interview|application|offer|posting|opening)s? | apply\s+(?:for|to)\s+(?:a|the|this|that)\s+job
  | (?:write|draft|compose|proofread|rewrite)\s+(?:me\s+)?(?:my|an?|the|this)\s+(?:\w+\s+){0,2}(?:speech|novel|e-?mail|letter|article|assignment|resume|blog\s+post|tweet)
  | postdoc | postdocs | phd\s+positions? | vacanc(?:y|ies) | hiring | recruit\w* | careers? | summer\s+students? | internships? | job\s+(?:description|ad|advert\w*|market|hunt\w*)(?!\s+language)
  | (?:status|state|schedule)\s+of\s+the\s+(?:lhc|accelerator|beams?) | (?:lhc|accelerator)\s+(?:status|schedule) | is\s+the\s+beam | beam\s+(?:is\s+)?(?:on|off|status) | luminosity
  | data\s+structures? | leetcode | binary\s+trees? | linked\s+lists? | sorting\s+algorithms? | big-?o\s+notation
  | economy | economic | inflation | unemployment | expense\s+reports? | expenses | reimburse\w* | travel\s+claims?
  | vacation | holiday | holidays | flight | flights | hotel | train\s+ticket | visa | parking
  | birthday | dating | horoscope | zodiac | astrology | diet | workout | gym | doctor | medicine | cat | cats | dog | dogs | pet | car\s+insurance | love\s+letter
  | president | election | elections | prime\s+minister | tallest | largest\s+country | how\s+far\s+is | meaning\s+of\s+life | chess
`);

/** Other computing systems: out of scope unless the question ties them to PanDA. */
export const OTHER_SYSTEMS = words(String.raw`
  slurm | sbatch | squeue | srun | scontrol | sinfo | dirac | dirac-\w+ | htcondor(?:-ce)? | condor | condor_\w+ | condor-ce | arc-ce | nordugrid\s+arc | lsf | bsub | pbs | torque | qsub
  | kubernetes | kubectl | k8s\s+cluster | helm\s+chart | docker\s+compose | docker-compose | terraform | ansible | openstack
  | pandas | dataframe | dataframes | numpy | scipy | matplotlib | seaborn | jupyter | excel | spreadsheet | powerpoint | word\s+document | latex | overleaf
  | javascript | typescript | react | java | c\+\+ | rust | golang | php | regex | sql\s+join | git\s+rebase | git\s+merge | merge\s+conflict | vim | emacs
  | windows | macos | iphone | android | outlook | zoom | teams | mattermost\s+theme | wifi | printer | eduroam | lxplus\s+password | password\s+reset
  | cms | cmssw | crab | lhcb | jalien | belle\s*ii | task\s+manager | cron\s*(?:job|tab)s? | crontab
  | ide | ides | vscode | vs\s+code | pycharm | text\s+editor | code\s+editor
  | root\s+(?:histogram|tree|ttree|tbrowser|macro) | ttree | tbrowser | pyroot | geant4 | madgraph | pythia\s+settings | ml\s+model | neural\s+network | pytorch | tensorflow
`);

/**
 * Everyday life: personal devices, shopping, media, private matters. With none of the words that only
 * the grid world uses (PANDA_STRONG), a question about these is out of scope even when it says
 * "memory", "cloud", "status" or "job" ("how do I free memory on my laptop?", "status of my amazon order").
 */
export const EVERYDAY = words(String.raw`
  laptops? | macbook | my\s+mac | my\s+pc | desktop\s+pc | iphone | ipad | smartphones? | phones? | tablets? | photos? | pictures | selfies? | music | spotify | youtube | instagram | facebook | tiktok | whatsapp | netflix
  | amazon | ebay | online\s+shop\w* | shopping | my\s+order | parcel | package\s+delivery | delivery | rent | landlord | apartment | wife | husband | girlfriend | boyfriend | kids | wedding
  | website | websites | web\s*site | blog | uptime | domain\s+name | gaming | gamer | games
  | car | bike | household | garden | router\s+at\s+home | home\s+network | smart\s+tv | playstation | xbox | nintendo | video\s+games?
`);

/** Physics and detectors rather than computing: out of scope unless the question is about running work (jobs, datasets, the grid). */
export const PHYSICS = words(String.raw`
  detector | detectors | calorimeters? | higgs | bosons? | quarks? | neutrinos? | dark\s+matter | supersymmetry | gluons? | hadrons? | standard\s+model | particle\s+physics | cross[-\s]sections? | muon\s+spectrometer
`);
/** Computing words that keep a physics question in scope ("how do I run higgs analysis jobs on the grid?"). */
export const COMPUTING = words(String.raw`
  jobs? | tasks? | queues? | grid | datasets? | simulation | derivations? | prun | pathena | rucio | panda | jedi | pilot | submit\w* | production | reprocessing | samples?
`);

/** Words only the grid/PanDA world uses: with one of them an everyday word does not make a question off-topic. */
export const PANDA_STRONG = words(String.raw`
  panda | bigpanda | pilot | pilots | harvester | jedi | prun | pathena | pbook | phpo | pchain | panda-client | pandaclient | rucio | cric | idds | jeditaskid | pandaid
  | atlas | grid | wlcg | athena | asetup | lsetup | setupatlas | alrb | cvmfs | voms | x509 | lxplus | datasets? | dids? | rses? | ddm | derivations? | daod | aod | evnt
  | brokerage | queuedata | schedconfig | cmtconfig | hammercloud | gshare | piloterrorcode | transexitcode | trf | panda\s+queues?
`);

/** Words that tie a question to PanDA strongly enough to beat OTHER_SYSTEMS. */
export const PANDA_CORE = words(String.raw`
  panda | bigpanda | pilot | pilots | harvester | jedi | prun | pathena | pbook | phpo | pchain | panda-client | pandaclient | pandatools | rucio | cric | idds | jeditaskid | pandaid | panda\s+queues?
`);

/** Vocabulary of the PanDA/ATLAS distributed-computing world (documentation questions). */
export const DOMAIN = words(String.raw`
  panda | bigpanda | jedi | pandaids? | jeditaskids? | jeditasks? | taskids? | jobids? | pilots? | piloterrorcode | transexitcode | exeerrorcode | ddmerrorcode | errorcodes? | exitcodes? | harvester | idds | rucio | cric | atlas | grid | wlcg | osg | jobs? | tasks? | queues? | pqs? | sites? | prun | pathena | pbook | phpo | pchain
  | panda-client | pandaclient | pandatools | datasets? | containers? | singularity | apptainer | payloads? | brokerage | broker | brokered | scouts? | scouting | merge | merging
  | priority | priorities | global\s+shares? | gshare | shares? | retry | retries | retried | resubmit\w* | reattempt | attempts? | errors? | exit\s*codes? | transforms? | trf | athena
  | lfn | lfns | guid | rse | rses | scope | did | dids | ddm | stage-?in | stage-?out | transfers? | replicas? | rules? | walltime | cputime | cpu | memory | rss | pss | maxrss
  | cores? | corecount | corepower | hs06 | voms | proxy | x509 | token | tokens | oidc | iam | worker\s+nodes? | wn | copytools? | event\s*service | jumbo | hpc | cvmfs | alrb
  | setupatlas | lsetup | asetup | tier | t0 | t1 | t2 | monitor | monitoring | throttled | exhausted | finished | failed | failing | running | activated | defined | assigned
  | transferring | holding | cancelled | aborted | broken | tobroken | scouting | pending | fail | fails | failures? | heartbeat | looping | nucleus | satellite | input\s+files? | output\s+files? | log\s+files?
  | logs? | tarball | production | analysis | derivations? | simulation | evgen | reconstruction | daod | aod | esd | hits | evnt | rdo | nevents | events | ami | release | releases
  | job\s+status | task\s+status | submission | submit | submitted | kill | killed | workflow | workflows | steps? | chain | campaign | pileup | overlay | gpu | gpus | arm | cloud
  | clouds | storage | disk | quota | lifetime | expired | expiry | secret | credential | credentials | certificate | harvester | pq | schedconfig | queuedata | agis | hammercloud | hc
  | taskbuffer | task\s*buffer | jobdispatcher | job\s*dispatcher | dispatcher | supervisor | watchdog | job\s*generator | task\s*refiner | contents?\s*feeder
  | post-?processor | throttler | conveyor | reaper | undertaker | judge-\w+ | daemons? | panda\s+server | jedi\s+server | schema | oracle
  | maxtime | mintime | max\s*walltime | maxwalltime | maxwdir | maxinputsize | maxmemory | minrss | timefloor | pledgedcpu | catchall | copytool\w* | acopytools
  | xrootd | xroot | davs | webdav | gsiftp | srm | fts
  | blacklist\w* | exclude\w* | brokeroff | online | offline | status | pledge | pledged | cvmfs | cmtconfig | platform | architecture | container\s+image | docker | image
  | sub-?status | sub-?states? | jobsubstatus | toreassign | reassigning | taskdone | fg_partial | subfinished | toabort | tobroken | toretry | toincexec | rerefine | topreprocess | preprocessing | scouted
`);

/** CRIC queue fields and queue states: a name plus one of these is a queue question. */
export const CRIC_FIELDS = words(String.raw`
  copytools? | acopytools? | copy\s*tool | corepower | core\s*power | corecount | core\s*count | cores | hs06 | hepspec\w* | maxrss | minrss | max\s*rss | maxmemory | memory\s+limit
  | max(?:imum)?\s+memory | memory | maxtime | mintime | max\s*time | max(?:imum)?\s+walltime | walltime\s+limit | walltime | maxwdir | scratch | disk\s+space | maxinputsize
  | max(?:imum)?\s+input\s+size | status | state | online | offline | brokeroff | broker\s*off | blacklisted | test\s+mode | in\s+test | down | cloud | tier | container
  | containers | container_options | container_type | singularity | apptainer | pilot\s+version | python\s+version | harvester | resource\s+type | resource_type | direct\s+access
  | allow_lan | allow_wan | lan | wan | pledged | nodes | region | country | storage | astorages | ddm\s+endpoints? | capability | ucore | unified | timefloor | queue\s+type
  | gocname | is_cvmfs | cvmfs | catchall | environ | jobseed | queuedata | schedconfig | setup | config(?:uration)? | parameters? | settings? | properties | details | info
  | (?:which|what)\s+(?:site|cloud|tier|country)\s+(?:is|does|do|are)
  | use | uses | using | support | supports | architecture | arm | gpu | gpus | event\s+service | zip | stage-?in | stage-?out | rucio | xrootd | davs | https
`);

/** "which queues …", "list the queues …", "how many queues …": questions over many queues. */
export const QUEUE_LIST =
  /\b(?:which|what|list|show|all|any|how\s+many|number\s+of|count|find|get|give\s+me)\s+(?:(?:of\s+)?(?:the|my|our|us|me|all|panda|atlas|cric|other|active|online|offline|available|analysis|production|gpu|arm|hpc|unified|us|de|uk|fr|it|nl|nd|es|ca|ru|cern)\s+)*(?:panda\s+)?(?:queues|pqs|sites|panda\s+resources)\b|\bqueues?\s+(?:per|by|in\s+each|for\s+each)\s+(?:cloud|country|site|tier|region)\b|\b(?:in|of|for|across|within)\s+(?:the\s+)?(?:us|de|uk|fr|it|nl|nd|es|ca|ru|cern|tw|jp|cn)\s+cloud\b|\bin\s+cloud\s+(?:us|de|uk|fr|it|nl|nd|es|ca|ru|cern|tw)\b|\b(?:queues|pqs|sites)\s+(?:that|which|with|where|whose|using|use|have|at|in|of|belong|belonging|running|are|is)\b/;

/** The user's own job/task, without an ID ("my grid job keeps failing"). */
export const OWN_OBJECT =
  /\b(?:my|our|this|that|the|these|those|his|her|their|one\s+of\s+my|some\s+of\s+my|all\s+my|all\s+of\s+my)\s+(?:(?:own|grid|panda|prun|pathena|analysis|production|user|athena|merge|latest|last|new|old|recent|current|submitted|failed|failing|stuck|running|simulation|derivation|reco|reprocessing|ml|gpu|test|other)\s+){0,3}(jobs?|tasks?)\b/;

/** Failure or status talk about a specific job/task. */
export const STATUS_TALK = words(String.raw`
  fail | fails | failed | failing | failure | failures | crash\w* | die[sd]? | dying | died | stuck | hang\w* | hung | sitting | sits | waiting | waits | wait | pending
  | activated | assigned | defined | holding | transferring | starting | running | finished | done | killed | cancel\w* | closed | broken | exhausted | throttled | aborted
  | queued | slow | doing | going | coming\s+along | not\s+(?:running|starting|progressing|moving|finishing|working) | (?:doesn'?t|does\s+not|won'?t|isn'?t)\s+(?:work\w*|run\w*|start\w*|finish\w*|progress\w*) | never\s+(?:runs?|starts?|finish\w*) | status | progress | state | check | look\s+at | look\s+into
  | investigate | debug | diagnose | what\s+happened | what'?s\s+wrong | what\s+went\s+wrong | went\s+wrong | retried | retry | resubmit\w* | lost | error | errors | log | logs
  | output | outputs | input | count | how\s+many | summar\w* | overview | report | succeed\w* | success | complete\w* | percent | % | ages | forever | hours | days
  | how\s+far | far\s+along | eta | when\s+will | how\s+long | taking | takes | behind | blocked | frozen | idle | nothing\s+happen\w* | keeps?\s+\w+ing
  | problems? | issues? | trouble | broke | wrong | speed\s+up | faster | slower | paused | stopped | halted | happen\w*
  | ran\s+out | out\s+of\s+memory | oom | timed?\s*-?\s*out | exceeded | help
`);

/** How-to and definition phrasing: a documentation question even when it says "my jobs". */
export const HOW_TO =
  /\b(?:how\s+(?:do|can|could|should|would|to|does|is|are)\b|what\s+(?:does|do|is|are)\b[^?.!]{0,60}\b(?:mean|means|stand\s+for)\b|what\s+(?:is|are)\s+(?:an?)\s|what(?:'s|\s+is|\s+are)\s+the\s+(?:default|max\w*|min\w*|limit|typical|usual|recommended|best|difference|purpose|role|meaning)\b|what'?s\s+(?:an?\s|the\s+difference)|is\s+(?:it|there)\s+(?:possible|a\s+way)|(?<!what\s)can\s+i\b|is\s+there\s+(?:a|an|any)\s+(?:\w+\s+){0,2}?(?:way|option|flag|command|doc|documentation|list|setting|parameter|switch|tool|feature|limit|default|variable)s?\b|where\s+(?:can|do|is|are)\s+(?:i|the)\b|why\s+(?:would|might|could)\b|what\s+happens\s+(?:to\s+[^?.!]{1,30}?\s+)?(?:when|if|once|after)\b|what\s+(?:should|can|could|do|must)\s+(?:i|we|one)\s+do\s+(?:if|when|once|after|about)\b|what\s+(?:would|might|could|can)\s+(?:cause|make|lead|send|put|trigger)\b|why\s+(?:do|does|are|is)\s+(?!my\b)\w+\s+jobs?\s+(?:get|have|run)|which\s+(?:option|flag|parameter|command)|difference\s+between|explain\s+(?:how|what|why)|documented|documentation|docs?\b|tutorial|example\s+of|in\s+general|generally)/;

/** Questions about error codes as a whole ("where are the pilot error codes listed?"). */
export const CODES_IN_GENERAL =
  /\b(?:list|table|all|where|which\s+file)\b[^?.!]*\bcodes\b|\bcodes\b[^?.!]*\b(?:listed|defined|documented)\b|\bcodes\s+(?:are\s+)?(?:listed|defined|documented)|\bdocumented\b|\bdifference\s+between\b/;

/** Asking what a code means. */
export const MEANING =
  /\b(?:mean|means|meaning|stand\s+for|stands\s+for|signify|what\s+(?:kind|sort|type)\s+of|what\s+is|what'?s|explain|explanation|definition|describe|lookup|look\s+up|tell\s+me\s+about|info\s+on|details\s+on)\b/;

/**
 * "can my job use more than one core?", "do my jobs get retried automatically?", "will my jobs run faster
 * with more cores?": a yes/no question about what jobs can do or get, asked of the rules, not of one job's state.
 */
export const GENERAL_YES_NO =
  /^\W*(?:(?:so|and|but|also)\s+)?(?:can|could|will|would|should|may|might|do|does)\s+(?:(?:my|our|the|a|all|failed|finished|grid|analysis|production)\s+){0,2}(?:[\w-]+\s+)?(?:jobs?|tasks?)\s+(?:ever\s+|usually\s+|always\s+|automatically\s+|also\s+)?(?:get|be|use|run|count|share|need|inherit|keep|access|read|write|request|support|require)\b/;

/**
 * How the system decides or computes something ("who decides which share my task gets?", "how is the
 * priority of user jobs calculated?", "how does panda compute priorities?"): the rule, from the
 * documentation, even when the asker mentions their own jobs as the reason for asking.
 */
export const RULE_QUESTION =
  /\b(?:who|what|which\s+(?:component|service|part|daemon|agent|server))\s+(?:decides|determines|chooses|sets|assigns|controls|picks|computes|calculates|defines|governs|triggers)\b|\bhow\s+(?:is|are)\s+(?:the\s+|a\s+|an\s+)?(?:[\w-]+\s+){0,4}?(?:calculated|computed|determined|decided|chosen|assigned|defined|ranked|weighted|weighed|prioriti[sz]ed|estimated)\b|\bhow\s+(?:does|do)\s+(?!(?:i|we|you|one)\b)(?:the\s+)?[\w-]+(?:\s+[\w-]+)?\s+(?:compute|calculate|determine|decide|choose|pick|assign|rank|weigh|select|estimate|prioriti[sz]e)\b/;
