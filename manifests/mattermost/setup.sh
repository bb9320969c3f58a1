#!/bin/sh
# Creates the Ask PanDA bot account, its access token and the /panda-job slash command through the
# Mattermost REST API v4. Needs a system admin's personal access token.
#   MM_URL=https://mattermost.example.org MM_ADMIN_TOKEN=... MM_TEAM_ID=... ./manifests/mattermost/setup.sh
# Prints the values for MATTERMOST_TOKEN and MATTERMOST_COMMAND_TOKEN (keep them secret).
set -eu
here=$(dirname "$0")
api="$MM_URL/api/v4"
auth="Authorization: Bearer $MM_ADMIN_TOKEN"
bot_id=$(curl -fsS -H "$auth" -H 'Content-Type: application/json' -d @"$here/bot.json" "$api/bots" | sed -n 's/.*"user_id":"\([a-z0-9]*\)".*/\1/p')
bot_token=$(curl -fsS -H "$auth" -H 'Content-Type: application/json' -d '{"description":"askpanda"}' "$api/users/$bot_id/tokens" | sed -n 's/.*"token":"\([a-z0-9]*\)".*/\1/p')
curl -fsS -H "$auth" -H 'Content-Type: application/json' -d "{\"user_id\":\"$bot_id\",\"team_id\":\"$MM_TEAM_ID\"}" "$api/teams/$MM_TEAM_ID/members" >/dev/null
command_token=$(sed "s/REPLACE_WITH_TEAM_ID/$MM_TEAM_ID/" "$here/slash-command.json" | curl -fsS -H "$auth" -H 'Content-Type: application/json' -d @- "$api/commands" | sed -n 's/.*"token":"\([a-z0-9]*\)".*/\1/p')
echo "MATTERMOST_TOKEN=$bot_token"
echo "MATTERMOST_COMMAND_TOKEN=$command_token"
echo "Add the bot to the channels where it should answer: /invite @askpanda"
