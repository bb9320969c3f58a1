import { runChatAdapterContract } from '../contract/chat-adapter.js';
import { createSlackDriver } from '../fakes/slack/driver.js';

// HTTP mode: the fake sends signed Events API, slash-command and interactivity requests to the Request URL.
runChatAdapterContract(() => createSlackDriver('http'));
