import { runChatAdapterContract } from '../contract/chat-adapter.js';
import { createSlackDriver } from '../fakes/slack/driver.js';

// Socket Mode: the real Bolt App connects to the fake's apps.connections.open and ws:// URL.
runChatAdapterContract(() => createSlackDriver('socket'));
