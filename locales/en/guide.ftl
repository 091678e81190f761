# Guide: a VNeID account (level 1, level 2) and logging in to the National Public Service Portal.
# Plain text (the bot escapes it): no HTML or Markdown. One short screen, one idea.
# App menu items stay in Vietnamese, in quotes, as the app shows them.
# The same ids must exist in locales/vi/guide.ftl and locales/hmn/guide.ftl.

## Start

safety =
    ⚠️ Before we start, please remember:
    This bot never asks for your ID number, phone number, OTP code, password or passcode. Do not send them here.
    Police and commune staff never ask for these codes.
    Install VNeID only from CH Play (Google Play) or the App Store.
    Someone calls saying they are police and asks you to install or "update" VNeID: that is a scam.
commune-ask =
    Which commune do you live in? Choose your commune.
    (Only so the commune knows how many people were helped.)

## Your situation

age-ask =
    Are you 14 years old or older?
    (VNeID accounts are for people aged 14 and over.)
under-14 =
    Children under 14 do not have their own VNeID account: they are under a parent's or guardian's account.
    A parent can use this guide to make an account for themselves.
card-ask =
    Do you have a chip-based citizen ID card (Căn cước công dân gắn chip), or the new Căn cước card (issued from 1 July 2024)?
card-check =
    Look at your card:
    A chip card has a small gold-coloured chip and a 12-digit ID number.
    The old ID card (CMND) has 9 digits and no chip.
    Does your card have a chip?
need-card =
    You need a chip ID card or a Căn cước card first.
    Go to the police to get one (ask the commune police where, and what to bring).
    When you apply, you can ask for VNeID level 2 at the same time.
    When you have the card, come back and start again.
phone-own-ask =
    Is your phone number (SIM) registered in your own name (thuê bao chính chủ)?
    A SIM in a relative's name will not get the codes for your account.
sim-check =
    How to check (free): text TTTB to 1414.
    The answer tells you whose name the SIM is in.
    Is it your name?
smartphone-ask =
    Do you have a smartphone (Android or iPhone) that can use the internet?
no-smartphone =
    VNeID needs a smartphone (Android or iPhone) with a SIM in your own name.
    Come back here when you have one.
    For more help: ask the commune police or the commune's one-stop desk.
vneid-ask =
    Do you already have a VNeID account?
    Registered (in the app or at the police) but not activated yet: choose "Registered, not activated".
vneid-how-tell =
    Open the VNeID app on your phone.
    If you can log in, you have an account; the app usually shows whether it is level 1 (mức 1) or level 2 (mức 2).
    The police took your fingerprints for VNeID but you never activated it: choose "Registered, not activated".
    Never registered at all: choose "No account yet".
nfc-ask =
    Does your phone have NFC?
    NFC lets the phone read the chip in your ID card when you hold the card to the phone.
nfc-how =
    Android: open "Cài đặt" (Settings) and search for "NFC". If you find it, your phone has NFC: turn it on.
    iPhone: iPhone 7 and newer models have NFC.
    Cannot find NFC: choose "No NFC".
nfc-none =
    Without NFC you can still try:
    at the card scanning step, the app offers to scan the QR code printed on your card instead of the chip.
    If that does not work, the commune police can register you.

## Level 1: register in the app yourself

l1-install =
    📱 Install the VNeID app
    Only from CH Play (Google Play) or the App Store: search for "VNeID".
    Publisher: the national population data centre (Trung tâm dữ liệu quốc gia về dân cư, Bộ Công an).
    Never install it from a link in a message, on Zalo or sent by a stranger.
l1-register =
    Open the VNeID app.
    Choose "Đăng ký tài khoản mức 1" (register a level 1 account).
    If the app asks for your ID number or phone number: type them in the VNeID app, never send them here.
l1-scan =
    Scan the chip of your card by NFC:
    turn NFC on, hold the card against the back of the phone (often near the top), keep still for a few seconds.
    No NFC: the app lets you scan the QR code printed on the card.
l1-confirm =
    Check the details the app shows; if they are right, confirm.
    Take the face picture: good light, no hat or glasses, keep still.
    Email: optional.
    Follow the app until the form is sent.
l1-wait =
    Wait for approval.
    When it is approved, you get an SMS from "Cuc Canh sat QLHC ve TTXH".
    When the SMS has come, go on to activate the account.
l1-not-yet =
    Approval can take some time. You can stop for now.
    When the SMS comes, start again and choose "Registered, not activated".
    No SMS after a long wait: ask the commune police.

## Activating the account

act-open =
    Open VNeID and choose "Kích hoạt tài khoản" (activate account).
    Type your 12-digit ID number (the number on your ID card) and your phone number in the VNeID app.
    Type them only in the app. Never send these numbers here.
act-otp =
    An OTP code comes by SMS to your phone. Type it in the VNeID app.
    ⚠️ Never tell anyone this code. The police, commune staff and this bot never ask for it.
act-password =
    Set a password: 8 to 20 characters, with a capital letter (A-Z), a small letter (a-z), a digit (0-9) and a special sign (such as @ or !).
    Do not write it where others can see it.
    Nobody may ask for your password: not the police, not commune staff, not this bot.
act-passcode =
    Set a passcode: 6 digits. Do not use your birthday or an easy number.
    Remember it; do not write it where others can see it.
    Nobody may ask for your passcode: not the police, not commune staff, not this bot.
act-questions =
    Choose 2 security questions and answer them.
    Remember the answers. If you write them down, keep them where others cannot see.
    Do not tell anyone the answers.
act-level2-offer =
    ✅ Your VNeID account is activated.
    To use the National Public Service Portal you need a level 2 account. Level 2 is done only in person at the commune police.
    Do it now?
    Already did level 2 at the police: choose "Already done at police".

## Level 2: at the commune police

lv2-go =
    Go in person to the commune police (Công an xã). Bring:
    - your chip ID card or Căn cước card
    - your phone with the SIM in your own name
    Level 2 is done only there: never at home, never by phone, nobody can do it for you.
    ⚠️ A call telling you to "upgrade VNeID to level 2" is a scam.
lv2-officer =
    The police officer takes your portrait and your fingerprints and checks them against the population database.
    The police do not ask for your OTP, password or passcode: tell them to nobody.
lv2-result =
    The result comes in the VNeID app, by SMS or by email.
    Already had a level 1 account: it is raised to level 2.
    No account before: activate it with "Kích hoạt tài khoản" (choose "I need to activate").
lv2-not-yet =
    The result can take some time. You can stop for now.
    Next time, start again. At the VNeID question choose "Yes, level 1" if you had level 1; if not, choose "Registered, not activated".
    No result after a long wait: ask the commune police.
lv2-check =
    Open VNeID and log in.
    Look at your account: it should now be level 2 (mức 2).
login-offer =
    ✅ Your level 2 VNeID account is ready.
    Log in to the National Public Service Portal now?

## Logging in to the National Public Service Portal

login-open =
    Open the browser (for example Chrome) and type exactly dichvucong.gov.vn. Or open the portal's app.
    Tap "Đăng nhập" (log in).
    ⚠️ Do not tap unknown links sent in messages.
login-vneid =
    Choose "Tài khoản định danh điện tử cấp bởi Bộ Công an" (with the VNeID icon).
    There are 2 ways to log in: with your VNeID password, or by scanning a QR code with the VNeID app.
    Which way?
login-password =
    On the site, type your 12-digit ID number and your VNeID password.
    An OTP code comes by SMS to your registered phone: type it on the site.
    ⚠️ Never tell anyone the code or password: the police, commune staff and this bot never ask.
login-qr =
    The site shows a QR code. In the VNeID app (level 2), tap the QR scanner, scan the code on the screen, then confirm.
    The app may first ask you to allow log-in on the web: allow it.
    This way needs the site open on another screen (for example a computer).
login-first =
    The first time: check the personal details the portal shows, and fill in what it asks for.
    When you see your own page, you are logged in.

## When something goes wrong

problem-menu =
    What is the problem? Choose one.
    Not in the list: choose "Another problem".
trouble-get-help =
    Still not working? You can get help from:
    - the commune police (bring your ID card and phone)
    - the VNeID hotline: 1900 0368
    - commune staff: press "Ask commune staff" below.
    Nobody may ask for your OTP, password or passcode.
trouble-no-otp =
    No OTP code?
    - Check the phone has signal and the SIM is in the phone.
    - Check that SMS are not blocked.
    - Wait 1 minute, then ask for a new code.
    - The phone number must be in your own name.
    Nobody may ask for this code, not even this bot.
trouble-sim-name =
    The SIM must be in your own name.
    Check: text TTTB to 1414 (free). The answer tells you whose name the SIM is in.
    Not your name: take your ID card to the mobile network's shop and have the SIM put in your name. Then try again.
trouble-nfc-fails =
    The chip cannot be read?
    - Turn NFC on in the phone's "Cài đặt" (Settings).
    - The reader is often at the top of the phone's back.
    - Take off a thick case.
    - Hold the card flat and still for a few seconds.
    Then try again.
trouble-no-nfc =
    Your phone has no NFC (iPhone older than iPhone 7, some cheap Android phones)?
    - Level 1: use the QR code printed on the card instead of the chip.
    - Or ask the commune police to register you.
trouble-new-phone =
    New phone, and the code goes to the old one?
    An account is logged in on one phone at a time.
    On the new phone choose "Xác thực NFC bằng thẻ CCCD gắn chíp" and scan your card. Or log in on the old phone to read the code.
    Nobody may ask for this code.
trouble-changed-phone =
    Changed your phone number?
    Go to the commune police, or call the VNeID hotline 1900 0368 for help.
    Remember: the new number must be in your own name too.
trouble-forgot-password =
    Forgot your VNeID password?
    In VNeID choose "Quên mật khẩu". Type your ID number and phone number in the app, then your full name, date of birth and card issue date. Enter the OTP from the SMS and set a new password.
    Never tell anyone the code or password, not the police, not commune staff, not this bot.
trouble-forgot-passcode =
    Forgot your passcode?
    In VNeID open any service, choose "Quên passcode", enter the OTP from the SMS, then set a new 6-digit passcode.
    Never tell anyone the code or passcode, not the police, not commune staff, not this bot.
trouble-old-cmnd =
    The old 9-digit ID card (CMND) is no longer valid (it stopped on 31 December 2024 at the latest).
    First get a chip Căn cước card at the police. You can ask for VNeID level 2 at the same time.
    When you have the card, come back here.
trouble-exists =
    The app says the account already exists (or a similar error), or your form was not approved?
    Maybe you were registered before (for example at the police).
    Try "Kích hoạt tài khoản" (activate) or "Quên mật khẩu" (forgot password).
    Still not working: go to the commune police.
trouble-face =
    The face picture fails?
    - Stand in good light.
    - Take off hat and glasses.
    - Keep the phone and your face still.
    - A weak signal can also cause it: try where 4G is better.
    Try again. Still failing: go to the commune police.
trouble-code-expired =
    Activation code expired or lost?
    The commune police can send it again. Go to the commune police with your ID card and phone.
    Do not tell the code to anyone, not even staff: nobody may ask for it.
trouble-details-wrong =
    Name, date of birth or address wrong? (After the 2025 commune merger, some addresses were updated wrongly.)
    The details come from the national population database. The commune police correct them: take your ID card to the commune police.
trouble-install =
    Cannot find or install VNeID?
    - Search for "VNeID" in CH Play or the App Store.
    - The publisher must be the national population data centre (Bộ Công an).
    - You need internet: try where the signal is better.
    Never install it from a link someone sends you.
trouble-signal =
    Weak signal?
    - Go where 4G is stronger (higher ground, near the commune centre), or use Wi-Fi if you have it.
    - Wait a while, then try again.
trouble-password-rules =
    Password not accepted? It needs:
    - 8 to 20 characters
    - a capital letter (A-Z) and a small letter (a-z)
    - a digit (0-9)
    - a special sign (such as @ or !)
    Keep it secret: nobody may ask for your password.
trouble-qr =
    The QR scan fails?
    - This way needs a level 2 account.
    - The app may ask you to allow log-in on the web: allow it, then scan again.
    - The QR code must be on another screen.
    Or log in with your password.

## Finish

finish-thanks =
    Thank you for following the guide.
    Wherever you stopped is fine: next time, start again and answer the questions; the guide takes you to your next step.
    For help: the commune's one-stop desk or the commune police.
purpose-ask =
    What do you need the account for?
    (So the commune knows what people need.)
rate-ask = Did this guide help you?
end-bye =
    Thank you. Good luck!
    To see the guide again, press "Start again".

## Buttons (at most 28 characters)

btn-understood = ✅ I understand
btn-yes = ✅ Yes
btn-no = ❌ No
btn-have = ✅ Yes, I have
btn-have-not = ❌ No, I don't
btn-dont-know = I don't know
btn-not-sure = Not sure
btn-continue = Continue
btn-done = ✅ Done
btn-not-working = ❌ It doesn't work
btn-fixed-continue = ✅ Fixed, continue
btn-still-not-working = ❌ Still not working
btn-later = Another time
btn-now = ✅ Do it now
btn-try-again = Try again
btn-stop-now = Stop for now
btn-start-again = 🔄 Start again
btn-cmnd-only = Only an old 9-digit CMND
btn-no-card = No card
btn-has-chip = It has a chip
btn-no-chip = No chip
btn-my-name = My name
btn-not-my-name = Someone else's name
btn-vneid-none = No account yet
btn-vneid-not-active = Registered, not activated
btn-level1 = Yes, level 1
btn-level2 = Yes, level 2
btn-forgot-password = Forgot password
btn-has-nfc = It has NFC
btn-no-nfc = No NFC
btn-sms-came = ✅ The SMS came
btn-sms-not-yet = No SMS yet
btn-already-police = Already done at police
btn-at-police = ✅ I am at the police
btn-result-came = ✅ The result came
btn-result-not-yet = No result yet
btn-must-activate = I need to activate
btn-is-level2 = ✅ It is level 2
btn-with-password = With password
btn-with-qr = Scan a QR code
btn-logged-in = ✅ I am logged in
btn-try-activation = Try activating
btn-p-install = Can't install the app
btn-p-signal = Weak signal
btn-p-other = Another problem
btn-p-exists = Says account exists
btn-p-not-approved = Not approved
btn-p-old-cmnd = Only an old CMND
btn-p-nfc-fails = Chip can't be read
btn-p-no-nfc = Phone has no NFC
btn-p-face = Face picture fails
btn-p-details = My details are wrong
btn-p-changed-phone = I changed my number
btn-p-code-expired = Activation code expired
btn-p-no-otp = No OTP code
btn-p-sim-name = SIM not in my name
btn-p-new-phone = Code goes to old phone
btn-p-password-rules = Password not accepted
btn-p-forgot-passcode = Forgot passcode
btn-p-qr = QR scan fails
btn-purpose-justice = Civil status, births
btn-purpose-labour = Work, invalids, welfare
btn-purpose-land = Land
btn-purpose-health = Health insurance
btn-purpose-other = Something else
btn-rate-good = 👍 Helpful
btn-rate-so-so = So-so
btn-rate-bad = 👎 Not helpful
