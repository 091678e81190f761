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
    Who is the account for?
    Since 1 July 2024 people of every age can have a VNeID account. Children under 14 are registered by a parent.
card-ask =
    Do you have a chip-based citizen ID card (Căn cước công dân gắn chip), or the new Căn cước card (issued from 1 July 2024)?
card-check =
    Look at your card:
    A chip card has a small gold-coloured chip and a 12-digit ID number.
    Not enough: the old ID card (CMND, 9 or 12 digits) and the citizen ID card with a barcode but no chip.
    Does your card have a chip?
card-valid-ask =
    Is your card still valid? Look at the date on it ("Có giá trị đến").
    Cards must be renewed at ages 25, 40 and 60.
card-renew =
    Your card must be renewed first.
    Go to the commune police with your old card to apply for a new Căn cước card. You can ask for VNeID level 2 at the same time.
    When you have the new card, come back and start again.
need-card =
    You need a chip ID card or a Căn cước card first.
    Go to the commune police to apply (ask them what to bring).
    When you apply, you can ask for VNeID level 2 at the same time.
    When you have the card, come back and start again.
phone-own-ask =
    Is your phone number (SIM) registered in your own name (thuê bao chính chủ)?
    The account needs a number in your own name: a number in a relative's name is refused.
sim-check =
    How to check (free): text TTTB to 1414.
    The answer tells you whose name the SIM is in.
    Is it your name?
shared-phone =
    One phone number holds one VNeID account.
    If nobody in your family made an account with this number and it is in your name: you can use it.
    Everyone else needs a SIM in their own name.
    Children under 14 need no SIM of their own: a parent registers them.
smartphone-ask =
    Do you have a smartphone (Android or iPhone) that can use the internet?
no-smartphone =
    No smartphone? You can still get an account:
    1. Level 2 at the commune police, with your card and a basic phone whose SIM is in your own name.
    2. The code comes by SMS to that phone: you activate the account on a computer, for example at the commune's one-stop desk.
    3. Staff at the desk help you log in to the portal on their computer; you type your own codes.
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

## A child's account

child-self =
    Children under 14 are registered by a parent or guardian, through the parent's own VNeID account (level 2).
    Show this to your parent, or ask them to come with you to the commune's one-stop desk.
child-age-ask = How old is the child?
child-card-ask =
    A child from 6 to 13 needs a Căn cước card first.
    Does the child have a Căn cước card?
child-get-card =
    Take the child to the commune police to apply for a Căn cước card (ask them what to bring).
    The child's fingerprints and portrait are taken there; you can ask for the child's VNeID level 2 at the same time.
    When the child has the card, come back and start again.
child-under-6 =
    A child under 6 can have a level 1 account, with a Căn cước card.
    You can apply for the child's Căn cước card in your own VNeID app.
child-parent-ask =
    You register the child through your own VNeID account, level 2, on your own phone (SIM in your own name).
    Do you have a level 2 VNeID account?
child-parent-first =
    First make your own level 2 account: the guide goes on with you now.
    When yours is ready, start again and choose "For my child".
child-register =
    Open your own VNeID app and look for registering an account for a child under 14 (the app may name it differently: the commune police can show you).
    Follow the app: choose the child, check the details, send.
    Type any number in the app only, never here.
child-wait =
    ✅ Sent. The result comes in your VNeID app.
    For a child from 6 to 13 at level 2: take the child to the commune police for fingerprints and portrait.

## No smartphone

bp-police =
    Go to a commune police (Công an xã): your own commune's, or any other. Bring:
    - your chip ID card or Căn cước card
    - your phone, even a basic one, with the SIM in your own name
    Say that you have no smartphone. The officer takes your portrait and fingerprints for level 2.
bp-wait =
    The result and an activation code come by SMS to your phone.
    The SMS may contain a link: do not follow it.
    ⚠️ Never tell anyone this code: the police, commune staff and this bot never ask.
bp-activate =
    On a computer (the commune's one-stop desk has one), type exactly vneid.gov.vn and choose "Kích hoạt tài khoản" (activate account).
    Type your ID number, your phone number and the code from the SMS yourself, then set a password as the site asks.
    Staff can show you where to type; the codes and the password you type yourself.
bp-login =
    ✅ Your level 2 account is active.
    At the desk's computer: dichvucong.gov.vn → "Đăng nhập" → VNeID. Type your ID number and password; the code comes by SMS to your phone, and you type it.
    Log out when you have finished.

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
    Wait for approval (usually 1 to 3 days).
    When it is approved, you get an SMS from "Cuc Canh sat QLHC ve TTXH".
    The SMS may contain a link: do not tap it. Open the VNeID app yourself.
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
    If the app asks you to set a password (only if you had no VNeID account before): 8 to 20 characters, with a capital letter (A-Z), a small letter (a-z), a digit (0-9) and a special sign (such as @ or !).
    Not asked: press "Done".
    Do not write it where others can see it. Nobody may ask for your password: not the police, not commune staff, not this bot.
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
    Go in person to a commune police (Công an xã): your own commune's, or any other, for example where you work. Bring:
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
    Log out of VNeID, then log in again: the new level shows only after that.
    Look at your account: it should now be level 2 (mức 2).
login-offer =
    ✅ Your level 2 VNeID account is ready.
    Log in to the National Public Service Portal now?

## Logging in to the National Public Service Portal

login-open =
    Open the browser (for example Chrome) and type exactly dichvucong.gov.vn.
    ⚠️ Never follow a link, and do not install a "portal app" someone sends: in 2025 fake portal sites and apps took fees, then bank savings. The portal is free.
    Tap "Đăng nhập" (log in).
login-vneid =
    Choose "Tài khoản định danh điện tử cấp bởi Bộ Công an" (with the VNeID icon).
    There are 2 ways to log in: with your VNeID password, or by scanning a QR code with the VNeID app.
    Which way?
login-password =
    On the site, type your 12-digit ID number and your VNeID password.
    Then either a code comes by SMS to your registered phone (type it on the site), or VNeID asks you to confirm.
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
    - the VNeID hotline: 1900 0368 (a paid call; press 4 for a person)
    - commune staff: press "Ask commune staff" below.
    Nobody may ask for your OTP, password or passcode.
trouble-no-otp =
    No OTP code?
    - Check the phone has signal and the SIM is in the phone. Two SIMs: the right one.
    - Check that SMS are not blocked or in the spam folder.
    - A code works for about 3 minutes: wait 1 minute, then ask for a new one.
    - The phone number must be in your own name.
    Nobody may ask for this code, not even this bot.
trouble-sim-name =
    The SIM must be in your own name: a number in someone else's name is refused for your account.
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
    This happens when you log in to VNeID on a new phone: an account is logged in on one phone at a time.
    On the new phone choose "Xác thực NFC bằng thẻ CCCD gắn chíp" and scan your card. Or log in on the old phone to read the code. A new phone without NFC: the commune police.
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
    The old ID card (CMND, 9 or 12 digits) is no longer valid (it stopped on 31 December 2024 at the latest). A citizen ID card with a barcode and no chip is not enough either.
    First get a chip Căn cước card at the police. You can ask for VNeID level 2 at the same time.
    When you have the card, come back here.
trouble-exists =
    The app says the account already exists (or a similar error), or your form was not approved?
    Maybe you were registered before (for example at the police).
    Try "Kích hoạt tài khoản" (activate) or "Quên mật khẩu" (forgot password).
    Still not working: go to the commune police.
trouble-locked =
    The account is locked after wrong tries?
    - Wait a while and try again (the app may say how long).
    - Or choose "Quên mật khẩu" (forgot password) in VNeID.
    - Still locked: the VNeID hotline 1900 0368, or the commune police.
trouble-lost-phone =
    Phone lost or stolen?
    1. First lock the account: call the VNeID hotline 1900 0368, or on vneid.gov.vn choose "Yêu cầu khóa tài khoản" (the desk's computer can help).
    2. Get your SIM back at the mobile network's shop, with your ID card.
    3. Then on a new phone with NFC, log in to VNeID and scan your card; without NFC, go to the commune police.
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
btn-cmnd-only = Only an old CMND
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
btn-for-me = 👤 For me (14 or older)
btn-for-child = 👶 For my child (under 14)
btn-i-am-under-14 = I am under 14
btn-parent-here = My parent is here
btn-child-6-13 = 6 to 13 years old
btn-child-under-6 = Under 6
btn-child-has-card = ✅ Has a Căn cước card
btn-child-no-card = ❌ No card yet
btn-parent-level2 = ✅ I have level 2
btn-parent-not-level2 = I don't have level 2
btn-sent = ✅ Sent
btn-card-valid = ✅ Still valid
btn-card-expired = ❌ Expired, or due
btn-phone-mine = ✅ Yes, my name
btn-phone-not-mine = ❌ No, another name
btn-phone-shared = A family phone
btn-number-free = ✅ My name, not used
btn-need-own-sim = I need my own SIM
btn-activated = ✅ Activated
btn-account-problem = My account has a problem
btn-p-locked = Account locked
btn-p-lost-phone = Phone lost or stolen
btn-purpose-justice = Civil status, births
btn-purpose-labour = Work, invalids, welfare
btn-purpose-land = Land
btn-purpose-health = Health insurance
btn-purpose-other = Something else
btn-rate-good = 👍 Helpful
btn-rate-so-so = So-so
btn-rate-bad = 👎 Not helpful

## Reminders while waiting

fu-l1 =
    👋 A reminder from the commune's one-stop desk: you are waiting for your VNeID account to be approved.
    Has the SMS saying it is approved come?
fu-lv2 =
    👋 A reminder from the commune's one-stop desk: you meant to go to a commune police (Công an xã) for VNeID level 2.
    Have you been?
fu-bp =
    👋 A reminder from the commune's one-stop desk: you are waiting for the SMS with the code to activate your VNeID account.
    Has it come?
fu-stopped =
    No more reminders.
    When you are ready, press /start to begin again. For help, come to the commune's one-stop desk.
btn-fu-stop = 🔕 No more reminders
btn-fu-not-yet = Not yet
