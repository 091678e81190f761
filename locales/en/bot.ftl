# The bot's own messages (not part of a guide). Plain text: the bot escapes it when sending.

language-prompt = Chọn ngôn ngữ · Xaiv hom lus · Choose your language
welcome-back = Welcome back. You were here:
stale-button = That button is from an earlier screen. You are here now:
use-buttons = Please press one of the buttons below. To talk to a person, press "🙋 Ask commune staff".
warn-id-number =
    ⚠️ Do not send your ID card (CCCD) number here. The bot does not need it and keeps nothing of it.
    Type it only in the VNeID app.
warn-phone-number =
    ⚠️ Do not send your phone number here. The bot does not need it and keeps nothing of it.
    Type it only in the VNeID app.
warn-code =
    ⚠️ Never give an OTP, password or passcode to anyone: not the police, not commune staff, not this bot.
    The bot keeps nothing of it.
staff-asked =
    🙋 Commune staff have been told. A person from the commune will answer you here.
    You can also come to the commune's one-stop desk.
progress = Step { $current } of { $total } · { $left ->
        [0] last step
        [one] 1 step left
       *[other] { $left } steps left
    }
btn-back = ◀ Back
btn-ask-staff = 🙋 Ask commune staff
forgotten = The link between you and your guide sessions, and your language choice, have been erased. Anonymous counts are kept. Send /start to begin again.
try-again = Sorry, the system is busy. Your last message was not recorded: please send it again in a few minutes.
help =
    This bot guides you step by step to a VNeID account and to logging in to the National Public Service Portal.
    Press the buttons below. Commands:
    /start: continue the guide
    /lang: change language
    /restart: start again from the beginning
    /forget: erase your data
media-photo =
    ⚠️ Do not send photos of your ID card or of any code here. The bot keeps nothing of this photo.
    The bot understands only the buttons below.
media-other = The bot understands only buttons and short text. Please press a button below.
edited = The bot reads only new messages, not edited ones. Please press a button below.
cmd-start = Continue the guide
cmd-lang = Change language
cmd-help = Help
cmd-restart = Start again
cmd-forget = Erase my data
