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
busy-later = Sorry, the system is busy. Your last message will be answered as soon as it works again: no need to send it again.
help =
    This bot guides you step by step to a VNeID account and to logging in to the National Public Service Portal.
    Press the buttons below. Commands:
    /start: continue the guide
    /lang: change language
    /settings: voice and pictures, or text only
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
handoff-opened =
    🙋 Passed to commune staff. A person from the commune will answer you right here; write, or send a screenshot of the error.
    Do not send your ID number, an OTP or a photo of your card.
    One-stop desk: { $address }, open { $hours }.
handoff-active = Commune staff are helping you: just write here. To go on with the guide yourself, press the button below.
handoff-photo = Your photo was passed to staff. Remember: never send a photo of your ID card or of any code.
handoff-number = This message was not passed to staff. Bring your card to the one-stop desk and show it to staff there.
handoff-late =
    Sorry, commune staff could not answer straight away. Your messages are kept for them and they will answer here.
    You can also come to { $address }, open { $hours }.
handoff-closed = Commune staff have finished helping you. Thank you!
btn-resume = ◀ Back to the guide
staff-card =
    🆕 Case #{ $code }
    Language: { $language }
    Commune: { $commune }
    On step: { $step } ({ $steps } steps so far)
    Done: { $done }
    Problems chosen: { $problems }
    Minutes in the guide before asking: { $minutes }
staff-taken = ✋ { $name } took the case.
staff-late = ⏳ Case #{ $code } has waited { $minutes } minutes untaken. The citizen was told the desk's hours.
staff-closed = ✅ { $name } closed the case ({ $outcome }).
staff-to-guide = ↩ { $name } sent the citizen back to the guide ({ $outcome }).
staff-citizen-left = The citizen left the conversation.
staff-only = This command works only in the commune's staff group.
staff-case-expired = ⌛ Case #{ $code } was open longer than { $days } days and has ended. The citizen is back in the guide when they write again.
staff-citizen-erased = 🗑 The citizen of case #{ $code } erased their data: the case is closed, and its topic and the messages in it were removed.
staff-citizen-erased-keep = 🗑 The citizen of case #{ $code } erased their data: the case is closed. The bot could not remove the case's messages ({ $reason }): please delete them.
staff-no-topics = the group has no topics
staff-report-refused = ⚠️ Could not send { $what } to the group: Telegram refused ({ $reason }). Make the bot an administrator, or allow files and photos in the group's Edit → Permissions.
report-file = the figures workbook (Excel)
report-document = the report (Word)
report-chart = the chart
btn-take = ✋ Take
btn-created = ✅ Done: account created
btn-not-created = ❌ Done: not created
btn-to-guide = ↩ Back to the guide
btn-staff-level1 = VNeID level 1
btn-staff-level2 = VNeID level 2
btn-staff-portal = Logged in to the portal
btn-staff-child = Child's account applied for
btn-staff-referred = Sent to police/shop/desk
btn-cancel = Cancel
assist-ask = Log a citizen helped at the desk ({ $question ->
        [0] choose the commune
        [1] choose the language
        [2] choose the outcome
       *[other] choose what it is for
    }):
assist-done = ✅ Logged: { $commune } · { $language } · { $outcome } · { $purpose }
relay-refused = Your last message could not be passed to staff (it may have been deleted). Please send it again, or come to the commune's one-stop desk.
relay-refused-photo = Your last photo could not be passed to staff. Please bring it to the commune's one-stop desk and show it to staff there.
update-parked = Sorry, the bot could not handle your last message. Please try again, or come to the commune's one-stop desk for help.
slow-down = You sent many messages at once. The bot answers only the latest; please send a little more slowly.

## The printed poster (dvc-onboard poster)

poster-title = A VNeID and public service account, step by step, on Telegram
poster-what = The assistant guides you to a VNeID account (level 1, level 2) and a log-in to the National Public Service Portal, in Vietnamese, Hmong or English.
poster-how = Scan the QR code with your phone's camera, open Telegram, press "Start".
poster-never = The assistant never asks for your ID number, phone number, OTP code or password. Nobody may ask for these codes.

cmd-settings = Voice and pictures
settings-with-media = 🔊 You get voice notes and pictures with the text, where a step has them. To save mobile data, choose "Text only".
settings-text-only = 📝 You get text only, without voice notes and pictures (saves mobile data).
btn-text-only = 📝 Text only (saves data)
btn-with-media = 🔊 Voice and pictures
chose-text-only = 📝 Chosen: text only. Change it with /settings.
chose-with-media = 🔊 Chosen: voice and pictures. Change it with /settings.
btn-lang-text-only = 📝 Chỉ chữ·Ntawv xwb·Text only
btn-lang-with-media = ✅ Chỉ chữ·Ntawv xwb·Text only

staff-media-summary =
    🎙 Voice and pictures by step ({ $steps } steps). Steps with their own, by language:
    { $coverage }
    Choose a part of the guide, then a step, to listen, see, record a new voice or attach a picture.
staff-media-section = Part { $section }: choose a step. 🔊 voice, 🖼 picture, in the languages that have them.
staff-media-step =
    Step { $step }:

    { $text }

    Choose a language to record a voice or attach a picture:
staff-media-prompt =
    Step { $step } · { $language }
    Read the text below aloud, then REPLY to this message with a voice message (hold the microphone button), or with a photo, to attach it to this step. The new one replaces the old at once for every citizen.

    { $text }

    🔊 Voice: { $voice }
    🖼 Picture: { $picture }
staff-media-none = none yet
staff-media-from-staff = the commune's
staff-media-shipped = shipped with the bot ({ $name })
staff-media-fallback = none yet; citizens get the Vietnamese one
staff-media-attached = ✅ Attached the { $kind } ({ $language }) to step { $step }. Citizens get it from now on.
staff-media-removed = 🗑 Removed the commune's { $kind } ({ $language }) from step { $step }.
staff-media-nothing = Step { $step } has no { $kind } in { $language }.
staff-media-wrong-kind = Only a voice message (hold the microphone button) or a photo (sent as a photo, not a file) can be attached. Reply to the step's message again.
staff-media-kind-voice = voice
staff-media-kind-picture = picture
btn-media-listen = ▶ Listen
btn-media-see = 🖼 See the picture
btn-media-remove-voice = 🗑 Remove the commune's voice
btn-media-remove-picture = 🗑 Remove the commune's picture
btn-media-back = ◀ Back
