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
