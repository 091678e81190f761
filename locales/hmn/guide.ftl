# AWAITING REVIEW BY NATIVE HMONG SPEAKERS. This file was written in Hmong RPA (White Hmong
# conventions) by a non-native writer and has NOT been reviewed. Do not present it as reviewed.
# A string that is missing here (or removed because it is wrong) falls back to Vietnamese.
# ĐANG CHỜ người Mông bản ngữ duyệt. Tệp này do người không phải bản ngữ viết (chữ RPA, theo
# cách viết Hmoob Dawb) và CHƯA được duyệt. Không được giới thiệu là đã duyệt.
# Chuỗi nào thiếu ở đây (hoặc bị xóa vì sai) sẽ hiện bằng tiếng Việt.
#
# App menu names stay in Vietnamese, in quotes, as the VNeID app shows them.
# Tên mục trong ứng dụng giữ nguyên tiếng Việt, trong dấu ngoặc kép.

## Pib

safety =
    ⚠️ Ua ntej pib, nco ntsoov:
    Bot no yeej tsis nug koj tus lej Căn cước, tus lej xov tooj, tus lej OTP, lo lus zais (mật khẩu) los yog passcode. Tsis txhob xa tuaj ntawm no.
    Tub ceev xwm thiab cov neeg ua haujlwm hauv xã yeej tsis nug cov lej no.
    Tsuas nruab VNeID ntawm CH Play los yog App Store xwb.
    Leej twg hu xov tooj hais tias yog tub ceev xwm thiab kom koj nruab los yog "hloov tshiab" VNeID: yog neeg dag.
commune-ask =
    Koj nyob xã twg? Xaiv koj lub xã.
    (Tsuas yog kom xã paub tias tau pab pes tsawg tus neeg xwb.)

## Koj li teeb meem

age-ask =
    Tài khoản no yog ua rau leej twg?
    Txij 1/7/2024, txhua hnub nyoog muaj tau tài khoản VNeID. Menyuam tsis tau muaj 14 xyoos, niam txiv sau npe rau lawv.
card-ask =
    Koj puas muaj daim npav Căn cước công dân uas muaj chip, los yog daim npav Căn cước tshiab (muab txij 1/7/2024)?
card-check =
    Saib koj daim npav:
    Daim npav muaj chip muaj ib lub chip me me xim daj thiab tus lej 12 tus.
    Tsis txaus: daim CMND qub (9 los yog 12 tus lej) thiab daim Căn cước công dân muaj mã vạch tsis muaj chip.
    Koj daim npav puas muaj chip?
card-valid-ask =
    Koj daim npav puas tseem siv tau? Saib hnub sau rau ntawm daim npav ("Có giá trị đến").
    Thaum muaj 25, 40 thiab 60 xyoos, yuav tsum hloov daim npav tshiab.
card-renew =
    Koj yuav tsum hloov daim npav ua ntej.
    Nqa daim npav qub mus rau Công an xã thov ua daim npav Căn cước tshiab. Koj thov ua VNeID qib 2 ua ke tau.
    Muaj daim npav tshiab lawm, rov qab los pib dua ntawm no.
need-card =
    Koj yuav tsum muaj daim npav Căn cước muaj chip ua ntej.
    Mus rau Công an xã thov ua daim npav (nug seb yuav nqa dab tsi).
    Thaum ua daim npav, koj thov ua VNeID qib 2 ua ke tau.
    Muaj daim npav lawm, rov qab los pib dua ntawm no.
phone-own-ask =
    Koj tus lej xov tooj (SIM) puas yog koj tus kheej lub npe (chính chủ)?
    Tài khoản yuav tsum siv tus lej uas yog koj lub npe: tus lej uas yog koj tus txheeb ze lub npe, lawv tsis txais.
sim-check =
    Yuav kuaj li cas (dawb): sau TTTB xa mus rau 1414.
    Cov lus teb qhia tias SIM yog leej twg lub npe.
    Puas yog koj lub npe?
shared-phone =
    Ib tus lej xov tooj tsuas sau npe tau ib tus tài khoản VNeID xwb.
    Yog tsis tau muaj leej twg hauv koj tsev neeg siv tus lej no ua tài khoản, thiab nws yog koj lub npe: koj siv tau.
    Lwm tus neeg, ib leeg yuav tsum muaj ib lub SIM uas yog nws lub npe.
    Menyuam tsis tau muaj 14 xyoos tsis tas muaj SIM: niam txiv sau npe rau lawv.
smartphone-ask =
    Koj puas muaj điện thoại cảm ứng (Android los yog iPhone) siv tau internet?
no-smartphone =
    Tsis muaj điện thoại cảm ứng? Koj tseem muaj tau tài khoản:
    1. Ua qib 2 ntawm Công an xã, nqa daim npav thiab lub xov tooj yooj yim uas muaj SIM yog koj lub npe.
    2. Tus lej yuav tuaj ua SMS rau lub xov tooj ntawd: koj ua kom tài khoản siv tau (Kích hoạt) ntawm lub máy tính, xws li ntawm lub chaw txais neeg (một cửa) ntawm xã.
    3. Neeg ua haujlwm ntawm lub chaw txais neeg pab koj nkag Cổng ntawm lawv lub máy tính; koj ntaus koj cov lej koj tus kheej.
vneid-ask =
    Koj puas muaj tài khoản VNeID lawm?
    Sau npe lawm (hauv lub app los yog ntawm tub ceev xwm) tab sis tsis tau ua kom siv tau (Kích hoạt): xaiv "Sau npe, tsis tau Kích hoạt".
vneid-how-tell =
    Qhib lub app VNeID hauv koj lub xov tooj.
    Yog koj nkag tau: koj muaj tài khoản lawm; feem ntau lub app qhia tias yog qib 1 (mức 1) los qib 2 (mức 2).
    Tub ceev xwm tau luam koj cov ntiv tes rau VNeID tab sis koj tsis tau ua kom siv tau (Kích hoạt): xaiv "Sau npe, tsis tau Kích hoạt".
    Tsis tau sau npe li: xaiv "Tseem tsis tau muaj".
nfc-ask =
    Koj lub xov tooj puas muaj NFC?
    NFC pab lub xov tooj nyeem lub chip ntawm daim npav thaum muab daim npav los ze lub xov tooj.
nfc-how =
    Android: qhib "Cài đặt" (Settings), nrhiav "NFC". Yog pom, koj lub xov tooj muaj NFC: bật nws.
    iPhone: iPhone 7 thiab cov tshiab dua muaj NFC.
    Nrhiav tsis pom NFC: xaiv "Tsis muaj NFC".
nfc-none =
    Xov tooj tsis muaj NFC los tseem sim tau:
    thaum txog kauj ruam quét daim npav, lub app cia koj quét tus QR code luam rau ntawm daim npav hloov lub chip.
    Yog ua tsis tau, Công an xã pab tau koj sau npe.

## Tài khoản rau menyuam

child-self =
    Menyuam tsis tau muaj 14 xyoos, niam txiv los yog tus saib xyuas sau npe rau, siv niam txiv tus kheej tus tài khoản VNeID qib 2.
    Muab qhov no rau koj niam txiv saib, los yog thov niam txiv nrog koj mus rau lub chaw txais neeg (một cửa) ntawm xã.
child-age-ask = Tus menyuam muaj pes tsawg xyoos?
child-card-ask =
    Menyuam muaj 6 txog 13 xyoos yuav tsum muaj daim npav Căn cước ua ntej.
    Tus menyuam puas muaj daim npav Căn cước?
child-get-card =
    Coj tus menyuam mus rau Công an xã thov ua daim npav Căn cước (nug seb yuav nqa dab tsi).
    Ntawd tub ceev xwm luam menyuam cov ntiv tes thiab thaij nws daim duab ntsej muag; koj thov ua VNeID qib 2 rau menyuam ua ke tau.
    Menyuam muaj daim npav lawm, rov qab los pib dua ntawm no.
child-under-6 =
    Menyuam tsis tau muaj 6 xyoos muaj tau tài khoản qib 1, thaum muaj daim npav Căn cước.
    Koj thov tau daim npav Căn cước rau menyuam hauv koj tus kheej lub app VNeID.
child-parent-ask =
    Koj sau npe rau menyuam siv koj tus kheej tus tài khoản VNeID qib 2, ntawm koj lub xov tooj (SIM yog koj lub npe).
    Koj puas muaj tài khoản VNeID qib 2?
child-parent-first =
    Ua ntej, ua koj tus kheej tus tài khoản qib 2: cov lus qhia nrog koj mus ntxiv tam sim no.
    Thaum koj tus tài khoản npaj txhij, pib dua thiab xaiv "Rau kuv tus menyuam".
child-register =
    Qhib koj tus kheej lub app VNeID, nrhiav qhov sau npe tài khoản rau menyuam tsis tau muaj 14 xyoos (lub app yuav siv lwm lub npe: Công an xã qhia tau koj).
    Ua raws li lub app: xaiv tus menyuam, saib cov ntaub ntawv, xa.
    Cov lej tsuas ntaus hauv lub app xwb, tsis txhob xa tuaj ntawm no.
child-wait =
    ✅ Xa lawm. Qhov tshwm sim yuav tuaj hauv koj lub app VNeID.
    Menyuam muaj 6 txog 13 xyoos ua qib 2: coj tus menyuam mus rau Công an xã kom luam ntiv tes thiab thaij duab ntsej muag.

## Tsis muaj điện thoại cảm ứng

bp-police =
    Mus rau ib lub Công an xã: koj lub xã los yog lwm lub. Nqa:
    - daim npav Căn cước muaj chip
    - lub xov tooj, xov tooj yooj yim los tau, uas muaj SIM yog koj lub npe
    Hais tias koj tsis muaj điện thoại cảm ứng. Tub ceev xwm thaij koj daim duab ntsej muag thiab luam koj cov ntiv tes rau qib 2.
bp-wait =
    Qhov tshwm sim thiab tus lej Kích hoạt yuav tuaj ua SMS rau koj lub xov tooj.
    SMS yuav muaj txoj link: tsis txhob nias.
    ⚠️ Tsis txhob qhia tus lej no rau leej twg: tub ceev xwm, neeg ua haujlwm hauv xã thiab bot no yeej tsis nug.
bp-activate =
    Ntawm lub máy tính (lub chaw txais neeg (một cửa) ntawm xã muaj), ntaus kom raug vneid.gov.vn thiab xaiv "Kích hoạt tài khoản" (ua kom tài khoản siv tau).
    Koj tus kheej ntaus koj tus lej Căn cước, tus lej xov tooj thiab tus lej hauv SMS, ces teeb lo lus zais raws li nplooj web nug.
    Neeg ua haujlwm qhia tau qhov chaw ntaus; cov lej thiab lo lus zais, koj ntaus koj tus kheej.
bp-login =
    ✅ Koj tus tài khoản qib 2 siv tau lawm.
    Ntawm lub máy tính ntawm lub chaw txais neeg: dichvucong.gov.vn → "Đăng nhập" → VNeID. Ntaus koj tus lej Căn cước thiab lo lus zais; tus lej yuav tuaj ua SMS rau koj lub xov tooj, koj ntaus.
    Ua tiav lawm ces tawm (đăng xuất).

## Qib 1: koj sau npe hauv lub app

l1-install =
    📱 Nruab lub app VNeID
    Tsuas nruab ntawm CH Play (Google Play) los yog App Store xwb: nrhiav "VNeID".
    Tus tsim: Trung tâm dữ liệu quốc gia về dân cư (Bộ Công an).
    Tsis txhob nruab ntawm txoj link hauv lus xa tuaj, hauv Zalo, los yog neeg txawv xa tuaj.
l1-register =
    Qhib lub app VNeID.
    Xaiv "Đăng ký tài khoản mức 1" (sau npe tài khoản qib 1).
    Yog lub app nug tus lej Căn cước los yog tus lej xov tooj: ntaus rau hauv lub app VNeID, tsis txhob xa tuaj ntawm no.
l1-scan =
    Quét lub chip ntawm daim npav nrog NFC:
    bật NFC, muab daim npav tso ze nraum qab lub xov tooj (feem ntau yog sab saum toj), tuav twj ywm ib pliag.
    Xov tooj tsis muaj NFC: lub app cia koj quét tus QR code ntawm daim npav.
l1-confirm =
    Saib cov ntaub ntawv uas lub app qhia; yog raug ces lees paub.
    Thaij duab ntsej muag: nyob qhov chaw pom kev zoo, hle kaus mom thiab tsom iav, nyob twj ywm.
    Email: tsis yuam.
    Ua raws li lub app kom txog thaum xa tiav.
l1-wait =
    Tos kom lawv pom zoo koj cov ntaub ntawv (feem ntau 1 txog 3 hnub).
    Thaum pom zoo lawm, koj yuav tau txais SMS los ntawm "Cuc Canh sat QLHC ve TTXH".
    SMS yuav muaj txoj link: tsis txhob nias. Koj tus kheej qhib lub app VNeID.
    Tau SMS lawm ces mus ua kom koj tus tài khoản siv tau (Kích hoạt).
l1-not-yet =
    Kev pom zoo yuav siv sij hawm. Koj nres ib ntus tau.
    Thaum tau SMS, pib dua thiab xaiv "Sau npe, tsis tau Kích hoạt".
    Tos ntev lawm tseem tsis tau SMS: nug Công an xã.

## Ua kom tài khoản siv tau (Kích hoạt)

act-open =
    Qhib VNeID, xaiv "Kích hoạt tài khoản" (ua kom tài khoản siv tau).
    Ntaus koj tus lej 12 tus (tus lej ntawm daim npav Căn cước) thiab koj tus lej xov tooj rau hauv lub app VNeID.
    Tsuas ntaus hauv lub app xwb. Tsis txhob xa cov lej no tuaj ntawm no.
act-otp =
    Tus lej OTP yuav tuaj ua SMS rau koj lub xov tooj. Ntaus tus lej ntawd rau hauv lub app VNeID.
    ⚠️ Tsis txhob qhia tus lej no rau leej twg. Tub ceev xwm, neeg ua haujlwm hauv xã thiab bot no yeej tsis nug.
act-password =
    Yog lub app kom koj teeb lo lus zais (mật khẩu) (tsuas yog thaum koj tsis tau muaj tài khoản VNeID ua ntej): 8 txog 20 tus, muaj tus ntawv loj (A-Z), tus ntawv me (a-z), tus lej (0-9) thiab ib tus cim tshwj xeeb (xws li @ los yog !).
    Lub app tsis nug: nias "Ua tiav lawm".
    Tsis txhob sau rau qhov chaw lwm tus pom. Tsis muaj leej twg yuav nug koj lo lus zais: tub ceev xwm, neeg ua haujlwm hauv xã, bot no los tsis nug.
act-passcode =
    Teeb passcode: 6 tus lej. Tsis txhob siv hnub yug los yog tus lej yooj yim twv.
    Nco ntsoov, tsis txhob sau rau qhov chaw lwm tus pom.
    Tsis muaj leej twg yuav nug koj passcode: tub ceev xwm, neeg ua haujlwm hauv xã, bot no los tsis nug.
act-questions =
    Xaiv 2 lo lus nug kev ruaj ntseg thiab teb.
    Nco ntsoov cov lus teb. Yog sau cia, muab zais rau qhov chaw lwm tus tsis pom.
    Tsis txhob qhia cov lus teb rau leej twg.
act-level2-offer =
    ✅ Koj tus tài khoản VNeID siv tau lawm (Kích hoạt lawm).
    Yuav siv tau Cổng Dịch vụ công Quốc gia, koj yuav tsum muaj tài khoản qib 2. Qib 2 tsuas ua tau ntawm Công an xã xwb.
    Koj puas xav ua tam sim no?
    Ua qib 2 ntawm tub ceev xwm lawm: xaiv "Ua ntawm tub ceev xwm lawm".

## Qib 2: ntawm Công an xã

lv2-go =
    Koj tus kheej mus rau ib lub Công an xã: koj lub xã, los yog lwm lub xã twg los tau, xws li qhov koj mus ua haujlwm. Nqa:
    - daim npav Căn cước muaj chip
    - lub xov tooj uas muaj SIM yog koj lub npe
    Qib 2 tsuas ua ntawd xwb: tsis ua hauv tsev, tsis ua hauv xov tooj, tsis muaj leej twg ua hloov koj tau.
    ⚠️ Leej twg hu hais kom "hloov VNeID mus qib 2" yog neeg dag.
lv2-officer =
    Tub ceev xwm thaij koj daim duab ntsej muag thiab luam koj cov ntiv tes, thiab muab piv nrog cov ntaub ntawv pej xeem.
    Tub ceev xwm tsis nug koj tus lej OTP, lo lus zais los yog passcode: tsis txhob qhia leej twg.
lv2-result =
    Qhov tshwm sim yuav tuaj hauv lub app VNeID, SMS los yog email.
    Muaj tài khoản qib 1 lawm: koj tus tài khoản yuav nce mus qib 2.
    Tsis tau muaj tài khoản: ua kom siv tau nrog "Kích hoạt tài khoản" (xaiv "Yuav tsum Kích hoạt").
lv2-not-yet =
    Qhov tshwm sim yuav siv sij hawm. Koj nres ib ntus tau.
    Lwm zaus, pib dua. Thaum nug txog VNeID, xaiv "Muaj, qib 1" yog koj muaj qib 1 lawm; yog tsis muaj, xaiv "Sau npe, tsis tau Kích hoạt".
    Tos ntev lawm tseem tsis tau: nug Công an xã.
lv2-check =
    Tawm ntawm VNeID (đăng xuất), ces nkag dua: qib tshiab tsuas pom tom qab nkag dua xwb.
    Saib koj tus tài khoản: tam sim no yuav tsum yog qib 2 (mức 2).
login-offer =
    ✅ Koj tus tài khoản VNeID qib 2 npaj txhij lawm.
    Puas xav nkag Cổng Dịch vụ công Quốc gia tam sim no?

## Nkag Cổng Dịch vụ công Quốc gia

login-open =
    Qhib trình duyệt (xws li Chrome), ntaus kom raug dichvucong.gov.vn.
    ⚠️ Tsis txhob nias txoj link, tsis txhob nruab "app Cổng" uas leej twg xa tuaj: xyoo 2025 cov nplooj web thiab app cuav tau sau nyiaj, ces nyiag nyiaj hauv txhab nyiaj. Cổng yog dawb.
    Nias "Đăng nhập" (nkag mus).
login-vneid =
    Xaiv "Tài khoản định danh điện tử cấp bởi Bộ Công an" (muaj daim duab VNeID).
    Muaj 2 txoj kev nkag: siv lo lus zais VNeID, los yog quét QR code nrog lub app VNeID.
    Koj xaiv txoj twg?
login-password =
    Ntawm nplooj web, ntaus koj tus lej 12 tus thiab lo lus zais VNeID.
    Tom qab ntawd, tus lej tuaj ua SMS rau tus lej xov tooj uas tau sau npe (ntaus rau ntawm nplooj web), los yog VNeID nug kom koj lees paub.
    ⚠️ Tsis txhob qhia tus lej los yog lo lus zais rau leej twg: tub ceev xwm, neeg ua haujlwm hauv xã thiab bot no yeej tsis nug.
login-qr =
    Nplooj web qhia ib tus QR code. Hauv lub app VNeID (qib 2), nias lub pob quét QR, quét tus code ntawm lub màn hình, ces lees paub.
    Lub app yuav nug kom pub nkag hauv web ua ntej: pub nws.
    Txoj kev no yuav tsum qhib nplooj web rau lwm lub màn hình (xws li lub máy tính).
login-first =
    Thawj zaug nkag: saib koj cov ntaub ntawv uas Cổng qhia, thiab sau qhov uas Cổng nug.
    Thaum koj pom koj nplooj ntawv, koj nkag tau lawm.

## Thaum muaj teeb meem

problem-menu =
    Koj muaj teeb meem dab tsi? Xaiv ib qho.
    Tsis pom koj qhov teeb meem: xaiv "Lwm yam teeb meem".
trouble-get-help =
    Tseem ua tsis tau? Koj thov kev pab tau ntawm:
    - Công an xã (nqa daim npav Căn cước thiab lub xov tooj)
    - VNeID tus xov tooj pab: 1900 0368 (hu them nyiaj; nias 4 kom tham nrog neeg)
    - neeg ua haujlwm hauv xã: nias "Nug neeg ua haujlwm" hauv qab no.
    Tsis muaj leej twg yuav nug koj tus lej OTP, lo lus zais los yog passcode.
trouble-no-otp =
    Tsis tau txais tus lej OTP?
    - Saib lub xov tooj puas muaj mạng, SIM puas nyob hauv lub xov tooj. Xov tooj muaj 2 lub SIM: saib kom raug lub SIM.
    - Saib SMS puas raug thaiv los yog nyob hauv tin rác.
    - Ib tus lej siv tau li 3 feeb: tos 1 feeb ces thov tus lej tshiab.
    - Tus lej xov tooj yuav tsum yog koj lub npe.
    Tsis muaj leej twg yuav nug tus lej no, bot no los tsis nug.
trouble-sim-name =
    SIM yuav tsum yog koj lub npe: tus lej uas yog lwm tus lub npe, lawv tsis txais rau koj tus tài khoản.
    Kuaj: sau TTTB xa rau 1414 (dawb). Cov lus teb qhia tias SIM yog leej twg lub npe.
    Tsis yog koj lub npe: nqa daim npav Căn cước mus rau lub khw ntawm nhà mạng kom hloov SIM ua koj lub npe. Ces ua dua.
trouble-nfc-fails =
    Nyeem tsis tau lub chip?
    - Bật NFC hauv "Cài đặt" ntawm lub xov tooj.
    - Qhov nyeem feem ntau nyob sab saum toj, nraum qab lub xov tooj.
    - Hle lub ốp lưng tuab.
    - Muab daim npav tso tiaj, tuav twj ywm ib pliag.
    Ces sim dua.
trouble-no-nfc =
    Xov tooj tsis muaj NFC (iPhone qub dua iPhone 7, qee lub Android pheej yig)?
    - Qib 1: siv tus QR code ntawm daim npav hloov lub chip.
    - Los yog thov Công an xã pab sau npe.
trouble-new-phone =
    Hloov xov tooj tshiab tab sis tus lej mus rau lub xov tooj qub?
    Qhov no tsuas muaj thaum koj nkag VNeID ntawm lub xov tooj tshiab: ib lub sij hawm, tài khoản tsuas nkag tau rau ib lub xov tooj xwb.
    Ntawm lub xov tooj tshiab, xaiv "Xác thực NFC bằng thẻ CCCD gắn chíp" thiab quét daim npav. Los yog nkag rau lub xov tooj qub los saib tus lej. Xov tooj tshiab tsis muaj NFC: mus rau Công an xã.
    Tsis muaj leej twg yuav nug tus lej no.
trouble-changed-phone =
    Hloov tus lej xov tooj lawm?
    Mus rau Công an xã, los yog hu VNeID tus xov tooj pab 1900 0368.
    Nco ntsoov: tus lej tshiab los yuav tsum yog koj lub npe.
trouble-forgot-password =
    Hnov qab lo lus zais VNeID?
    Hauv VNeID xaiv "Quên mật khẩu". Ntaus tus lej Căn cước thiab tus lej xov tooj rau hauv lub app, ces koj lub npe, hnub yug, hnub tau daim npav. Ntaus tus lej OTP los ntawm SMS, ces teeb lo lus zais tshiab.
    Tsis txhob qhia tus lej los yog lo lus zais rau leej twg: tub ceev xwm, neeg ua haujlwm hauv xã, bot no los tsis nug.
trouble-forgot-passcode =
    Hnov qab passcode?
    Hauv VNeID qhib ib qho kev pab (dịch vụ) twg los tau, xaiv "Quên passcode", ntaus tus lej OTP los ntawm SMS, ces teeb passcode tshiab (6 tus lej).
    Tsis txhob qhia tus lej los yog passcode rau leej twg: tub ceev xwm, neeg ua haujlwm hauv xã, bot no los tsis nug.
trouble-old-cmnd =
    Daim CMND qub (9 los yog 12 tus lej) siv tsis tau lawm (tas sij hawm lig tshaj yog 31/12/2024). Daim Căn cước công dân muaj mã vạch tsis muaj chip los tsis txaus.
    Ua ntej, mus ua daim npav Căn cước muaj chip ntawm tub ceev xwm. Koj thov ua VNeID qib 2 ua ke tau.
    Muaj daim npav lawm ces rov qab los ntawm no.
trouble-exists =
    Lub app hais tias muaj tài khoản lawm (los yog lwm yam zoo li ntawd), los yog tsis pom zoo koj cov ntaub ntawv?
    Tej zaum koj tau sau npe ua ntej lawm (xws li ntawm tub ceev xwm).
    Sim "Kích hoạt tài khoản" los yog "Quên mật khẩu".
    Tseem tsis tau: mus rau Công an xã.
trouble-locked =
    Tài khoản raug xauv vim ntaus yuam kev ntau zaus?
    - Tos ib pliag ces sim dua (lub app yuav qhia tias tos ntev npaum li cas).
    - Los yog xaiv "Quên mật khẩu" hauv VNeID.
    - Tseem raug xauv: hu VNeID tus xov tooj pab 1900 0368, los yog mus rau Công an xã.
trouble-lost-phone =
    Xov tooj ploj los yog raug nyiag?
    1. Ua ntej, xauv tài khoản: hu VNeID tus xov tooj pab 1900 0368, los yog ntawm vneid.gov.vn xaiv "Yêu cầu khóa tài khoản" (lub máy tính ntawm lub chaw txais neeg pab tau).
    2. Thov SIM dua ntawm lub khw nhà mạng, nqa daim npav Căn cước.
    3. Ces ntawm lub xov tooj tshiab uas muaj NFC, nkag VNeID thiab quét daim npav; tsis muaj NFC: mus rau Công an xã.
trouble-face =
    Thaij duab ntsej muag tsis tau?
    - Nyob qhov chaw pom kev zoo.
    - Hle kaus mom thiab tsom iav.
    - Tuav lub xov tooj thiab koj lub ntsej muag kom twj ywm.
    - Mạng tsis zoo los ua rau tsis tau: sim qhov chaw muaj 4G zoo dua.
    Sim dua. Tseem tsis tau: mus rau Công an xã.
trouble-code-expired =
    Tus lej Kích hoạt tas sij hawm los yog ploj lawm?
    Công an xã xa tau tus lej dua. Mus rau Công an xã, nqa daim npav Căn cước thiab lub xov tooj.
    Tsis txhob qhia tus lej rau leej twg, txawm yog neeg ua haujlwm: tsis muaj leej twg yuav nug.
trouble-details-wrong =
    Koj lub npe, hnub yug los yog chaw nyob tsis raug? (Tom qab muab xã los ua ke xyoo 2025, qee qhov chaw nyob hloov tsis raug.)
    Cov ntaub ntawv los ntawm lub chaw khaws ntaub ntawv pej xeem. Công an xã kho tau: nqa daim npav Căn cước mus rau Công an xã.
trouble-install =
    Nrhiav tsis tau los yog nruab tsis tau VNeID?
    - Nrhiav "VNeID" hauv CH Play los yog App Store.
    - Tus tsim yuav tsum yog Trung tâm dữ liệu quốc gia về dân cư (Bộ Công an).
    - Yuav tsum muaj internet: sim qhov chaw mạng zoo dua.
    Tsis txhob nruab ntawm txoj link uas leej twg xa tuaj.
trouble-signal =
    Mạng tsis zoo?
    - Mus rau qhov chaw muaj 4G zoo dua (qhov siab, ze nruab nrab xã), los yog siv Wi-Fi yog muaj.
    - Tos ib pliag ces sim dua.
trouble-password-rules =
    Lo lus zais siv tsis tau? Lo lus zais yuav tsum:
    - muaj 8 txog 20 tus
    - muaj tus ntawv loj (A-Z) thiab tus ntawv me (a-z)
    - muaj tus lej (0-9)
    - muaj tus cim tshwj xeeb (xws li @ los yog !)
    Khaws zais cia: tsis muaj leej twg yuav nug koj lo lus zais.
trouble-qr =
    Quét QR tsis tau?
    - Txoj kev no yuav tsum muaj tài khoản qib 2.
    - Lub app yuav nug kom pub nkag hauv web: pub nws, ces quét dua.
    - Tus QR code yuav tsum nyob rau lwm lub màn hình.
    Los yog nkag nrog lo lus zais.

## Xaus

finish-thanks =
    Ua tsaug uas koj ua raws cov lus qhia no.
    Koj nres rau kauj ruam twg los tau: lwm zaus pib dua thiab teb cov lus nug, cov lus qhia yuav coj koj mus rau kauj ruam tom ntej.
    Xav tau kev pab: lub chaw txais neeg (một cửa) ntawm xã los yog Công an xã.
purpose-ask =
    Koj xav tau tài khoản no los ua dab tsi?
    (Kom xã paub tias neeg xav tau dab tsi.)
rate-ask = Cov lus qhia no puas pab tau koj?
end-bye =
    Ua tsaug. Thov kom koj ua tau zoo!
    Xav saib cov lus qhia dua, nias "Pib dua tshiab".

## Cov pob nias (tsis pub tshaj 28 tus)

btn-understood = ✅ Kuv to taub lawm
btn-have = ✅ Muaj
btn-have-not = ❌ Tsis muaj
btn-dont-know = Kuv tsis paub
btn-not-sure = Tsis paub meej
btn-continue = Mus ntxiv
btn-done = ✅ Ua tiav lawm
btn-not-working = ❌ Ua tsis tau
btn-fixed-continue = ✅ Tau lawm, mus ntxiv
btn-still-not-working = ❌ Tseem ua tsis tau
btn-later = Lwm zaus
btn-now = ✅ Ua tam sim no
btn-try-again = Sim dua
btn-stop-now = Nres ib ntus
btn-start-again = 🔄 Pib dua tshiab
btn-cmnd-only = Tsuas muaj CMND qub
btn-no-card = Tsis muaj daim npav
btn-has-chip = Muaj chip
btn-no-chip = Tsis muaj chip
btn-my-name = Yog kuv lub npe
btn-not-my-name = Lwm tus neeg lub npe
btn-vneid-none = Tseem tsis tau muaj
btn-vneid-not-active = Sau npe, tsis tau Kích hoạt
btn-level1 = Muaj, qib 1
btn-level2 = Muaj, qib 2
btn-forgot-password = Hnov qab lo lus zais
btn-has-nfc = Muaj NFC
btn-no-nfc = Tsis muaj NFC
btn-sms-came = ✅ SMS tuaj lawm
btn-sms-not-yet = Tseem tsis tau muaj SMS
btn-already-police = Ua ntawm tub ceev xwm lawm
btn-at-police = ✅ Kuv mus txog lawm
btn-result-came = ✅ Tau qhov tshwm sim lawm
btn-result-not-yet = Tsis tau qhov tshwm sim
btn-must-activate = Yuav tsum Kích hoạt
btn-is-level2 = ✅ Yog qib 2 lawm
btn-with-password = Siv lo lus zais
btn-with-qr = Quét QR code
btn-logged-in = ✅ Nkag tau lawm
btn-try-activation = Sim Kích hoạt
btn-p-install = Nruab tsis tau lub app
btn-p-signal = Mạng tsis zoo
btn-p-other = Lwm yam teeb meem
btn-p-exists = Hais tias muaj tài khoản lawm
btn-p-not-approved = Tsis tau pom zoo
btn-p-old-cmnd = Tsuas muaj CMND qub
btn-p-nfc-fails = Nyeem tsis tau chip
btn-p-no-nfc = Xov tooj tsis muaj NFC
btn-p-face = Duab ntsej muag tsis tau
btn-p-details = Cov ntaub ntawv tsis raug
btn-p-changed-phone = Hloov tus lej xov tooj lawm
btn-p-code-expired = Lej Kích hoạt tas sij hawm
btn-p-no-otp = Tsis tau txais OTP
btn-p-sim-name = SIM tsis yog kuv lub npe
btn-p-new-phone = Lej mus rau xov tooj qub
btn-p-password-rules = Lo lus zais siv tsis tau
btn-p-forgot-passcode = Hnov qab passcode
btn-p-qr = Quét QR tsis tau
btn-for-me = 👤 Rau kuv tus kheej
btn-for-child = 👶 Rau kuv tus menyuam
btn-i-am-under-14 = Kuv tsis tau muaj 14 xyoos
btn-parent-here = Kuv niam txiv nyob ntawm no
btn-child-6-13 = 6 txog 13 xyoos
btn-child-under-6 = Tsis tau muaj 6 xyoos
btn-child-has-card = ✅ Muaj daim npav Căn cước
btn-child-no-card = ❌ Tsis tau muaj daim npav
btn-parent-level2 = ✅ Kuv muaj qib 2
btn-parent-not-level2 = Kuv tsis tau muaj qib 2
btn-sent = ✅ Xa lawm
btn-card-valid = ✅ Tseem siv tau
btn-card-expired = ❌ Siv tsis tau lawm
btn-phone-mine = ✅ Yog, kuv lub npe
btn-phone-not-mine = ❌ Tsis yog, lwm tus lub npe
btn-phone-shared = Tsev neeg siv ua ke
btn-number-free = ✅ Kuv lub npe, tsis tau siv
btn-need-own-sim = Kuv yuav tsum muaj SIM
btn-activated = ✅ Kích hoạt lawm
btn-account-problem = Tài khoản muaj teeb meem
btn-p-locked = Tài khoản raug xauv
btn-p-lost-phone = Xov tooj ploj lawm
btn-purpose-justice = Ntawv yug, ntawv sib yuav
btn-purpose-labour = Haujlwm, kev pab zej zog
btn-purpose-land = Av, teb
btn-purpose-health = Pov hwm kho mob
btn-purpose-other = Lwm yam
btn-rate-good = 👍 Pab tau zoo
btn-rate-so-so = Me ntsis
btn-rate-bad = 👎 Tsis pab tau

## Lus ceeb toom thaum tos

fu-l1 =
    👋 Lus ceeb toom los ntawm lub chaw txais neeg (một cửa) hauv xã: koj tseem tos kom lawv pom zoo koj tus tài khoản VNeID.
    Puas tau SMS hais tias pom zoo lawm?
fu-lv2 =
    👋 Lus ceeb toom los ntawm lub chaw txais neeg (một cửa) hauv xã: koj xav mus rau Công an xã ua VNeID qib 2.
    Koj puas tau mus lawm?
fu-bp =
    👋 Lus ceeb toom los ntawm lub chaw txais neeg (một cửa) hauv xã: koj tseem tos SMS uas muaj tus lej Kích hoạt koj tus tài khoản VNeID.
    Puas tau SMS lawm?
fu-stopped =
    Bot yuav tsis ceeb toom koj ntxiv lawm.
    Thaum koj npaj txhij, nias /start pib dua. Xav tau kev pab: tuaj rau lub chaw txais neeg (một cửa) hauv xã.
btn-fu-stop = 🔕 Tsis txhob ceeb toom ntxiv
btn-fu-not-yet = Tseem tsis tau mus
