import { runChatAdapterContract } from '../contract/chat-adapter.js';
import { createMattermostDriver } from '../fakes/mattermost/driver.js';

// REST v4 through Client4 and /api/v4/websocket against the fake Mattermost server.
runChatAdapterContract(() => createMattermostDriver());
