/** The jobs agent: job searches, retry lineage, job comparison. */
export { createJobsAgent, type JobsAgentOptions } from './agent.js';
export { createPandaUserDirectory, identityOf, type PandaUserDirectory, parseUserPairs, toldPandaUser } from './panda-users.js';
