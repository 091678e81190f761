# AWAITING REVIEW BY NATIVE HMONG SPEAKERS. Written in Hmong RPA by a non-native writer; not
# reviewed. Do not present it as reviewed. A string missing here falls back to Vietnamese.
# ĐANG CHỜ người Mông bản ngữ duyệt. Do người không phải bản ngữ viết (chữ RPA); chưa duyệt.
# Chuỗi nào thiếu ở đây sẽ hiện bằng tiếng Việt.

language-prompt = Chọn ngôn ngữ · Xaiv hom lus · Choose your language
welcome-back = Zoo siab txais tos koj rov qab los. Koj nyob ntawm no:
stale-button = Lub pob ntawd yog ntawm daim ntawv qub lawm. Tam sim no koj nyob ntawm no:
use-buttons = Thov nias ib lub pob hauv qab no. Yog xav tau neeg pab, nias "🙋 Nug neeg ua haujlwm".
warn-id-number =
    ⚠️ Tsis txhob xa koj tus lej daim npav (CCCD) tuaj ntawm no. Bot tsis xav tau thiab tsis khaws nws.
    Tsuas ntaus nws rau hauv VNeID app xwb.
warn-phone-number =
    ⚠️ Tsis txhob xa koj tus lej xov tooj tuaj ntawm no. Bot tsis xav tau thiab tsis khaws nws.
    Tsuas ntaus nws rau hauv VNeID app xwb.
warn-code =
    ⚠️ Tsis txhob muab tus lej OTP, lo lus zais los yog passcode rau leej twg: tub ceev xwm, neeg ua haujlwm hauv xã, los yog bot no.
    Bot tsis khaws nws.
staff-asked =
    🙋 Peb tau qhia rau cov neeg ua haujlwm hauv xã lawm. Ib tug neeg hauv xã yuav teb koj ntawm no.
    Koj kuj mus tau rau lub chaw txais neeg (một cửa) ntawm xã.
progress = Kauj ruam { $current }/{ $total } · { $left ->
        [0] kauj ruam kawg
       *[other] tshuav { $left } kauj ruam
    }
btn-back = ◀ Rov qab
btn-ask-staff = 🙋 Nug neeg ua haujlwm
forgotten = Peb tau muab qhov txuas ntawm koj thiab koj cov kev qhia, thiab hom lus koj xaiv, rho tawm lawm. Cov lej suav uas tsis qhia npe tseem khaws cia. Xa /start yog xav pib dua.
try-again = Thov txim, lub system tsis khoom. Bot tseem tsis tau sau koj tsab ntawv kawg: thov xa dua ob peb feeb tom qab.
busy-later = Thov txim, lub system tsis khoom. Thaum lub system rov ua haujlwm lawm, bot yuav teb koj tsab ntawv kawg: tsis tas yuav xa dua.
help =
    Bot no qhia koj ib kauj ruam zuj zus los ua tus tài khoản VNeID thiab nkag rau Cổng Dịch vụ công.
    Nias cov pob hauv qab no. Cov lus txib:
    /start: ua ntxiv
    /lang: hloov hom lus
    /settings: suab thiab duab, los yog ntawv xwb
    /restart: pib dua tshiab
    /forget: rho koj cov ntaub ntawv tawm
media-photo =
    ⚠️ Tsis txhob xa duab daim npav (CCCD) los yog duab uas muaj tus lej tuaj ntawm no. Bot tsis khaws daim duab no.
    Bot tsuas to taub cov pob hauv qab no xwb.
media-other = Bot tsuas to taub cov pob thiab cov lus luv luv xwb. Thov nias ib lub pob hauv qab no.
edited = Bot tsuas nyeem cov ntawv tshiab xwb, tsis nyeem cov ntawv kho lawm. Thov nias ib lub pob hauv qab no.
# Telegram shows no command menu in Hmong (no two-letter code); kept for completeness.
cmd-start = Ua ntxiv
cmd-lang = Hloov hom lus
cmd-help = Kev pab
cmd-restart = Pib dua
cmd-forget = Rho kuv cov ntaub ntawv
handoff-opened =
    🙋 Peb tau xa rau cov neeg ua haujlwm hauv xã lawm. Ib tug neeg hauv xã yuav teb koj ntawm no; koj sau tau los yog xa duab ntawm qhov yuam kev.
    Tsis txhob xa koj tus lej CCCD, tus lej OTP los yog duab daim npav.
    Lub chaw txais neeg (một cửa): { $address }, qhib { $hours }.
handoff-active = Cov neeg ua haujlwm hauv xã tab tom pab koj: sau rau ntawm no xwb. Yog xav rov ua raws li kev qhia, nias lub pob hauv qab no.
handoff-photo = Peb tau xa koj daim duab rau cov neeg ua haujlwm lawm. Nco ntsoov: tsis txhob xa duab daim npav los yog duab uas muaj tus lej.
handoff-number = Tsab ntawv no tsis tau xa rau cov neeg ua haujlwm. Nqa koj daim npav mus rau lub chaw txais neeg (một cửa) thiab qhia rau lawv saib.
handoff-late =
    Thov txim, cov neeg ua haujlwm hauv xã tseem tsis tau teb tam sim no. Peb khaws koj cov ntawv cia, lawv yuav teb koj ntawm no.
    Koj kuj mus tau rau { $address }, qhib { $hours }.
handoff-closed = Cov neeg ua haujlwm hauv xã pab koj tiav lawm. Ua tsaug!
btn-resume = ◀ Rov qab mus rau kev qhia
relay-refused = Tsab ntawv kawg xa tsis tau rau cov neeg ua haujlwm (tej zaum nws raug rho tawm lawm). Thov xa dua, los yog mus rau lub chaw txais neeg (một cửa) hauv xã.
relay-refused-photo = Daim duab kawg xa tsis tau rau cov neeg ua haujlwm. Thov nqa mus rau lub chaw txais neeg (một cửa) hauv xã thiab qhia rau lawv saib.
update-parked = Thov txim, bot ua tsis tau tsab ntawv kawg. Thov sim dua, los yog mus rau lub chaw txais neeg (một cửa) hauv xã kom lawv pab.
slow-down = Koj xa ntau tsab ntawv ua ke heev. Bot tsuas teb tsab tshiab tshaj plaws xwb; thov xa qeeb me ntsis.

## Daim ntawv tshaj tawm (dvc-onboard poster)

poster-title = Ua tài khoản VNeID thiab Dịch vụ công, ib kauj ruam zuj zus, hauv Telegram
poster-what = Bot qhia koj ua tài khoản VNeID qib 1, qib 2 thiab nkag Cổng Dịch vụ công, ua lus Nyab Laj los yog lus Hmoob.
poster-how = Siv lub koob yees duab ntawm koj lub xov tooj quét tus QR code, qhib Telegram, nias "Bắt đầu".
poster-never = Bot yeej tsis nug koj tus lej Căn cước, tus lej xov tooj, tus lej OTP los yog lo lus zais. Tsis muaj leej twg yuav nug cov lej no.

cmd-settings = Suab thiab duab
settings-with-media = 🔊 Koj tau txais suab thiab duab nrog rau cov ntawv, ntawm cov kauj ruam uas muaj. Yog xav txuag data, xaiv "Ntawv xwb".
settings-text-only = 📝 Koj tsuas tau txais ntawv xwb, tsis muaj suab thiab duab (txuag data).
btn-text-only = 📝 Ntawv xwb (txuag data)
btn-with-media = 🔊 Muaj suab thiab duab
chose-text-only = 📝 Xaiv lawm: ntawv xwb. Hloov tau nrog /settings.
chose-with-media = 🔊 Xaiv lawm: muaj suab thiab duab. Hloov tau nrog /settings.
btn-lang-text-only = 📝 Chỉ chữ·Ntawv xwb·Text only
btn-lang-with-media = ✅ Chỉ chữ·Ntawv xwb·Text only
